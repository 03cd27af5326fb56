"""The years the county panel covers, and which source file gives each year.

Kept apart from `panel` (which needs pandas) so that checking a year is cheap
for the command line and the report runner.
"""

YEARS = list(range(2010, 2018))
UCR_FILES = {2010: "ucr-2010", 2012: "ucr-2012", 2016: "ucr-2016"}
URBAN_CRIME_YEARS = [2015, 2017]
CRIME_YEARS = sorted([*UCR_FILES, *URBAN_CRIME_YEARS])
SAIPE_FILES = {y: f"saipe-{y}" for y in [2010, 2012, 2013, 2014, 2015, 2016, 2017]}
SAIPE_COMPILED_YEARS = [2011]
LAUS_FILES = {y: f"laus-{y}" for y in YEARS}

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


def population_file(year: int) -> str:
    return "popest-2016" if year <= 2016 else "urban-county-population"


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
        return (
            [SAIPE_FILES[year]]
            if year in SAIPE_FILES
            else (["saipe-compiled"] if year in SAIPE_COMPILED_YEARS else [])
        )
    if column in ("unemployment_pct", "labor_force"):
        return [LAUS_FILES[year]] if year in LAUS_FILES else []
    return []
