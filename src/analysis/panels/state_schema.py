"""The state panel's contract: one row per state (the 50 and DC) and year, 1979-2023,
its columns and what each means, the source file behind each column and year, and
the years a reader must be warned of.

Crime comes from the FBI's state estimates (Crime Data Explorer, "Summary (SRS) data
with estimates"), the economy from the state rows of the files the county panel reads:
LAUS unemployment (USDA ERS's 2023 edition, 2000-2023), SAIPE poverty and median
household income (the Census's yearly files, 2010 and 2012-2021; ERS's 2023 editions
for 2022 income and 2023). No state file of 2011 SAIPE or of 2022 poverty is in the
registry: those values are missing, with the reason (`gap_reason`).
"""

from __future__ import annotations

import pandas as pd

from ..core.errors import ValidationError
from ..geo.regions import STATE_FIPS
from .years import ERS_INCOME_YEAR, ERS_LAUS_YEAR, ERS_POVERTY_YEAR, SAIPE_FILES

STATE_YEARS = list(range(1979, 2024))
STATE_LAUS_YEARS = list(range(2000, ERS_LAUS_YEAR + 1))
STATE_POVERTY_YEARS = [*SAIPE_FILES, ERS_POVERTY_YEAR]
STATE_INCOME_YEARS = sorted([*STATE_POVERTY_YEARS, ERS_INCOME_YEAR])
CRIME_FILE = "fbi-state-estimates"
# The first year of NIBRS-only reporting: the FBI's estimates for 2021 rest on agencies
# covering about 65 % of the population (the Los Angeles and New York police sent
# nothing); its file does not say so.
NIBRS_YEAR = 2021
NIBRS_NOTE = (
    "2021 was the FBI's first year of NIBRS-only reporting: its state estimates rest on "
    "agencies covering about 65 % of the population (the Los Angeles and New York police "
    "departments sent nothing), so 2021 is not comparable with the years around it"
)
# The rape definition the states' violent totals count: the legacy one to 2012, the
# revised (broader) one from 2013.
RAPE_REVISED_FROM = 2013


STATE_COLUMNS: dict[str, str] = {
    "state": "State postal abbreviation (the 50 states and DC)",
    "year": "Calendar year",
    "state_fips": "State FIPS code, 2 characters",
    "population": "The FBI's population estimate for the state",
    "violent_crimes": "Violent crimes, the FBI's estimate (rape in its revised definition "
    "from 2013)",
    "murder": "Murder and nonnegligent manslaughter",
    "rape": "Rape: the legacy definition to 2012, the revised one from 2013 (rape_definition)",
    "rape_definition": "legacy or revised",
    "robbery": "Robbery",
    "aggravated_assault": "Aggravated assault",
    "violent_no_rape_crimes": "Murder, robbery and aggravated assault: violent crime "
    "without rape, comparable across the 2013 change",
    "property_crimes": "Property crimes, the FBI's estimate",
    "burglary": "Burglary",
    "larceny_theft": "Larceny-theft",
    "motor_vehicle_theft": "Motor vehicle theft",
    "violent_per_10k": "Violent crimes per 10,000 residents",
    "violent_no_rape_per_10k": "Murder, robbery and aggravated assault per 10,000 residents",
    "property_per_10k": "Property crimes per 10,000 residents",
    "total_crime_per_10k": "Violent plus property crimes per 10,000 residents",
    "crime_caveat": "What the FBI says of the state's figures that year (its caveats, "
    "1995-2015), or the NIBRS change of 2021; empty when nothing",
    "unemployment_rate": "Unemployment rate, annual average, percent (LAUS, 2000-2023; the "
    "county panel's unemployment_pct)",
    "poverty_pct": "Share of people in poverty, percent (SAIPE; no 2011 or 2022 state file)",
    "median_income": "Median household income, current US dollars (SAIPE; the county "
    "panel's median_household_income; no 2011 state file)",
}


def outcome_years(outcome: str) -> list[int]:
    """The years a source gives an outcome of the state panel."""
    if outcome == "unemployment_rate":
        return list(STATE_LAUS_YEARS)
    if outcome == "poverty_pct":
        return list(STATE_POVERTY_YEARS)
    if outcome == "median_income":
        return list(STATE_INCOME_YEARS)
    return list(STATE_YEARS)


def files_for(column: str, year: int) -> list[str]:
    """The registry file ids a state panel column's values for `year` come from."""
    if column == "unemployment_rate":
        return ["ers-unemployment-2023"] if year in STATE_LAUS_YEARS else []
    if column in ("poverty_pct", "median_income"):
        if year in SAIPE_FILES:
            return [SAIPE_FILES[year]]
        if year == ERS_POVERTY_YEAR:
            return ["ers-poverty-2023"]
        if year == ERS_INCOME_YEAR and column == "median_income":
            return ["ers-unemployment-2023"]
        return []
    if year in STATE_YEARS and (column in STATE_COLUMNS or column == "log_population"):
        return [CRIME_FILE]
    return []


def gap_reason(column: str, year: int) -> str:
    """Why no source gives a state column in a year ("" when one does)."""
    if files_for(column, year):
        return ""
    if column == "unemployment_rate":
        return "the LAUS state series in the registry starts in 2000"
    return f"no state file of SAIPE {year} is in the registry"


def validate_state_panel(panel: pd.DataFrame) -> pd.DataFrame:
    """Stop unless the panel holds every state and year once, with the columns above."""
    missing = [c for c in STATE_COLUMNS if c not in panel.columns]
    if missing:
        raise ValidationError(f"the state panel lacks columns {missing}")
    states, years = set(panel["state"]), set(panel["year"])
    if states != set(STATE_FIPS) or years != set(STATE_YEARS):
        raise ValidationError(
            f"the state panel should hold the 51 states and DC in {STATE_YEARS[0]}-"
            f"{STATE_YEARS[-1]}; it holds {len(states)} states and years {min(years)}-"
            f"{max(years)}"
        )
    if panel.duplicated(["state", "year"]).any():
        raise ValidationError("the state panel has more than one row for a state and year")
    if panel[["population", "violent_crimes", "property_crimes"]].isna().any().any():
        raise ValidationError("the state panel lacks a population or a crime count")
    return panel
