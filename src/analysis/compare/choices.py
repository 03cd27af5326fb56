"""What can be compared: outcomes (and the years each exists), covariates,
covariate sets and weights, with the checks that turn an unknown or impossible
choice into an error naming the valid ones. The methods are in `methods`.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..core.errors import AnalysisError, OutcomeUnavailable, UnknownChoice
from ..panels.units import unit as lookup_unit
from ..panels.years import CITY_YEARS, YEARS, files_for

# Outcome -> (description, source family). The years each family exists come
# from the panel module, the one place that knows which files were read.
OUTCOMES: dict[str, str] = {
    "total_crime_per_10k": "violent plus property crimes known to police per 10,000 residents",
    "violent_per_10k": "violent crimes known to police per 10,000 residents",
    "property_per_10k": "property crimes known to police per 10,000 residents",
    "poverty_pct": "share of people in poverty, percent (SAIPE)",
    "unemployment_pct": "unemployment rate, annual average, percent (LAUS)",
    "median_household_income": "median household income, current US dollars (SAIPE)",
    "labor_force_participation_pct": "labor force participation, percent (ACS 2011-2015, "
    "the same value whatever the year)",
    "violent_no_rape_per_10k": "murder, robbery and aggravated assault per 10,000 residents: "
    "violent crime without rape, whose definition changed in 2013 (cities only)",
}
CRIME_OUTCOMES = (
    "total_crime_per_10k",
    "violent_per_10k",
    "property_per_10k",
    "violent_no_rape_per_10k",
)
# The city panel has crime only: the FBI's table, 2010-2019.
CITY_OUTCOMES = CRIME_OUTCOMES
# One ACS 2011-2015 value per county, repeated in every year: no change to
# difference in a difference-in-differences.
CONSTANT_OUTCOMES = ("labor_force_participation_pct",)

# Covariates are panel columns, plus log population computed from the
# population of the analysis year.
COVARIATES: dict[str, str] = {
    "log_population": "natural log of resident population in the analysis year",
    "foreign_born_pct": "foreign-born share, percent (ACS 2011-2015)",
    "hispanic_pct": "Hispanic or Latino share, percent (ACS 2011-2015)",
    "noncitizen_pct": "non-citizen share, percent (ACS 2011-2015)",
    "nchs_urban_rural_2013": "NCHS 2013 urban-rural class, entered as its code 1-6",
    "rucc_2013": "USDA rural-urban continuum code 2013, entered as its code 1-9",
    "trump_share_2016": "Trump share of the 2016 presidential vote, percent (measured after "
    "the 2014 policies, so possibly a consequence of them)",
    "labor_force_participation_pct": "labor force participation, percent (ACS 2011-2015)",
    "employment_population_pct": "employment-population ratio, percent (ACS 2011-2015)",
    "region_midwest": "1 for a city in the Census Midwest region (Northeast the reference)",
    "region_south": "1 for a city in the Census South region",
    "region_west": "1 for a city in the Census West region",
}

COVARIATE_SETS: dict[str, tuple[str, ...]] = {
    # What the 2017 CAP report says it matched on.
    "cap": ("log_population", "foreign_born_pct", "hispanic_pct"),
    "demographic": (
        "log_population",
        "foreign_born_pct",
        "hispanic_pct",
        "noncitizen_pct",
        "nchs_urban_rural_2013",
    ),
    "political": (
        "log_population",
        "foreign_born_pct",
        "hispanic_pct",
        "noncitizen_pct",
        "nchs_urban_rural_2013",
        "trump_share_2016",
    ),
}
COVARIATE_SETS["city"] = (
    # For cities: the city's own size and region, and its county's make-up and politics.
    "log_population",
    "region_midwest",
    "region_south",
    "region_west",
    "foreign_born_pct",
    "hispanic_pct",
    "nchs_urban_rural_2013",
    "trump_share_2016",
)

NCHS_CLASSES: dict[int, str] = {
    1: "large central metro",
    2: "large fringe metro",
    3: "medium metro",
    4: "small metro",
    5: "micropolitan",
    6: "noncore",
}

WEIGHTS = ("none", "population")


def outcome_years(outcome: str, unit: str = "county") -> list[int]:
    """The panel years in which a source gives `outcome` (counties, poverty: not 2022;
    crime: the five crime years; cities: crime 2010-2019)."""
    check_outcome(outcome, unit)
    if lookup_unit(unit).name == "city":
        return list(CITY_YEARS)
    return [y for y in YEARS if files_for(outcome, y)]


def unit_outcomes(unit: str = "county") -> list[str]:
    """The outcomes a unit's panel has."""
    if lookup_unit(unit).name == "city":
        return list(CITY_OUTCOMES)
    return [o for o in OUTCOMES if o not in CITY_ONLY]


def for_unit(outcomes: Iterable[str], unit: str = "county") -> list[str]:
    """Of `outcomes`, those the unit's panel has (cities: crime only)."""
    valid = set(unit_outcomes(unit))
    return [o for o in outcomes if o in valid]


# Outcomes only the city panel has.
CITY_ONLY = ("violent_no_rape_per_10k",)


def panel_years(unit: str = "county") -> list[int]:
    return list(CITY_YEARS) if lookup_unit(unit).name == "city" else list(YEARS)


def check_outcome(outcome: str, unit: str = "county") -> str:
    valid = unit_outcomes(unit)
    if outcome not in valid:
        kind = "outcome" if lookup_unit(unit).name == "county" else "city outcome"
        raise UnknownChoice(kind, outcome, valid)
    return outcome


def check_year(year: int, unit: str = "county") -> int:
    years = panel_years(unit)
    try:
        value = int(year)
    except (TypeError, ValueError):
        raise UnknownChoice("year", year, years) from None
    if value != year or value not in years:
        raise UnknownChoice("year", year, years)
    return value


def check_outcome_year(outcome: str, year: int, unit: str = "county") -> None:
    years = outcome_years(outcome, unit)
    if year not in years:
        raise OutcomeUnavailable(outcome, year, years)


def resolve_outcomes(
    outcomes: str | Iterable[str] | None, year: int | None, unit: str = "county"
) -> list[str]:
    """Outcomes to estimate. None means every outcome of the unit's panel that exists in
    `year`; an outcome asked for by name that does not exist in `year` is an error."""
    if outcomes is None:
        if year is None:
            return unit_outcomes(unit)
        return [o for o in unit_outcomes(unit) if year in outcome_years(o, unit)]
    names = [outcomes] if isinstance(outcomes, str) else list(outcomes)
    if not names:
        raise AnalysisError(f"no outcome given; valid outcomes: {', '.join(unit_outcomes(unit))}")
    for name in names:
        check_outcome(name, unit)
        if year is not None:
            check_outcome_year(name, year, unit)
    return list(dict.fromkeys(names))


def resolve_covariates(
    covariates: str | Iterable[str] | None, unit: str = "county"
) -> tuple[str, tuple[str, ...]]:
    """(label, columns) for a covariate set name or a list of covariate names; None is
    the unit's default set (cap for counties, city for cities)."""
    if covariates is None:
        covariates = lookup_unit(unit).default_covariates
    if isinstance(covariates, str):
        if covariates in COVARIATE_SETS:
            return covariates, COVARIATE_SETS[covariates]
        if covariates not in COVARIATES:
            raise UnknownChoice("covariate set", covariates, [*COVARIATE_SETS, *COVARIATES])
        covariates = [covariates]
    columns = tuple(dict.fromkeys(covariates))
    if not columns:
        raise AnalysisError(
            "an empty covariate list: give at least one of "
            f"{', '.join(COVARIATES)} or a set: {', '.join(COVARIATE_SETS)}"
        )
    for col in columns:
        if col not in COVARIATES:
            raise UnknownChoice("covariate", col, COVARIATES)
    for name, members in COVARIATE_SETS.items():
        if members == columns:
            return name, columns
    return "+".join(columns), columns


def check_weights(weights: str) -> str:
    if weights not in WEIGHTS:
        raise UnknownChoice("weights", weights, WEIGHTS)
    return weights


def check_choice(kind: str, value: object, valid: Iterable[object]) -> object:
    valid = list(valid)
    if value not in valid:
        raise UnknownChoice(kind, value, valid)
    return value
