"""The years the county panel covers, and which source file gives each year.

Kept apart from `panel` (which needs pandas) so that checking a year is cheap
for the command line and the report runner.

The panel runs to the last year any source has (2023). A year a source lacks
is a gap with its reason (`gap_reason`), like an absent optional source: it is
never dropped and never filled by carrying a value forward.
"""

YEARS = list(range(2010, 2024))
# The city panel: the FBI's city table (Crime in the United States, table 8), 2010-2019.
CITY_YEARS = list(range(2010, 2020))
UCR_FILES = {2010: "ucr-2010", 2012: "ucr-2012", 2016: "ucr-2016"}
URBAN_CRIME_YEARS = [2015, 2017]
CRIME_YEARS = sorted([*UCR_FILES, *URBAN_CRIME_YEARS])
# SAIPE: the Census yearly files to 2021; 2011 from a compilation; 2022 income and 2023
# from USDA ERS's county files, which copy SAIPE. No 2022 poverty file was found.
SAIPE_FILES = {y: f"saipe-{y}" for y in [2010, *range(2012, 2022)]}
SAIPE_COMPILED_YEARS = [2011]
ERS_POVERTY_YEAR = 2023  # poverty and income, from ers-poverty-2023
ERS_INCOME_YEAR = 2022  # income only, from ers-unemployment-2023
POVERTY_GAP_YEARS = [2022]
# LAUS: the April 2018 re-issue for 2010-2017, the April 2023 re-issue for 2018-2022,
# and 2023 from ERS's 2023 edition (see docs/methods.md, "Unemployment vintages").
LAUS_FILES = {y: f"laus-{y}" for y in range(2010, 2018)}
LAUS_FILES |= {y: f"laus-{y}" for y in range(2018, 2023)}
ERS_LAUS_YEAR = 2023
# Population: Census PEP vintage 2016, Urban's county file (PEP) for 2017, vintage 2019
# for 2018-2019, vintage 2025 for 2020-2023.
POPEST_2019_YEARS = [2018, 2019]
POPEST_2025_YEARS = [2020, 2021, 2022, 2023]
# The pandemic years, marked on every figure and page that shows them.
PANDEMIC_YEARS = (2020, 2021)
# Event studies of the policies of 2014-2019 stop here unless asked for more.
DEFAULT_WINDOW_END = 2019

# Panel columns that are the same in every year, and the file each comes from.
CONSTANT_FILES = {
    "foreign_born_pct": "nhgis-ds216",
    "noncitizen_pct": "nhgis-ds216",
    "hispanic_pct": "acs-b03003",
    "labor_force_participation_pct": "acs-s2301",
    "employment_population_pct": "acs-s2301",
    "nchs_urban_rural_2013": "nchs-2013",
    "rucc_2013": "rucc-2013",
    "trump_share_2016": "medsl-countypres",
}
CRIME = (
    "violent_crimes",
    "property_crimes",
    "violent_per_10k",
    "property_per_10k",
    "total_crime_per_10k",
    "crime_coverage",
    "crime_quality",
)


def default_window() -> list[int]:
    """The event-study years unless a caller asks for more: up to 2019, before the pandemic."""
    return [y for y in YEARS if y <= DEFAULT_WINDOW_END]


def population_file(year: int) -> str:
    if year <= 2016:
        return "popest-2016"
    if year == 2017:
        return "urban-county-population"
    return "popest-2019" if year in POPEST_2019_YEARS else "popest-2025"


def files_for(column: str, year: int) -> list[str]:
    """The registry file ids a panel column's values for `year` come from (a rate
    also names the population it divides by); [] where no file gives them."""
    if column in CONSTANT_FILES:
        return [CONSTANT_FILES[column]]
    if column in ("population", "log_population"):
        return [population_file(year)]
    if column == "crime_coverage" and year == 2017:
        return ["urban-crime-coverage-2017"]
    if column in CRIME:
        if year in UCR_FILES:
            return [UCR_FILES[year], population_file(year)]
        return ["urban-crime-rates", "urban-county-population"] if year in URBAN_CRIME_YEARS else []
    if column in ("poverty_pct", "median_household_income"):
        if year in SAIPE_FILES:
            return [SAIPE_FILES[year]]
        if year in SAIPE_COMPILED_YEARS:
            return ["saipe-compiled"]
        if year == ERS_POVERTY_YEAR:
            return ["ers-poverty-2023"]
        if year == ERS_INCOME_YEAR and column == "median_household_income":
            return ["ers-unemployment-2023"]
        return []
    if column in ("unemployment_pct", "labor_force"):
        if year in LAUS_FILES:
            return [LAUS_FILES[year]]
        return ["ers-unemployment-2023"] if year == ERS_LAUS_YEAR else []
    return []


def gap_reason(column: str, year: int) -> str:
    """Why no source gives `column` in `year` ("" when one does)."""
    if files_for(column, year):
        return ""
    if column in CRIME:
        if year > max(CRIME_YEARS):
            return (
                "no county crime file after 2017 is comparable with the earlier years (Urban's "
                "NIBRS-based rates for 2021-2023 are left out: docs/methods.md)"
            )
        return f"no county crime file for {year} (the FBI's county files cover 2010, 2012, 2016)"
    if column == "poverty_pct" and year in POVERTY_GAP_YEARS:
        return f"no public copy of SAIPE {year} county poverty was found"
    return f"no source gives {column} for {year}"
