"""What can be compared: outcomes (and the years each exists), covariates,
covariate sets and weights, with the checks that turn an unknown or impossible
choice into an error naming the valid ones. The methods are in `methods`.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import AnalysisError, OutcomeUnavailable, UnknownChoice
from ..years import YEARS, files_for

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
}
CRIME_OUTCOMES = ("total_crime_per_10k", "violent_per_10k", "property_per_10k")
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
DEFAULT_COVARIATES = "cap"


NCHS_CLASSES: dict[int, str] = {
    1: "large central metro",
    2: "large fringe metro",
    3: "medium metro",
    4: "small metro",
    5: "micropolitan",
    6: "noncore",
}

WEIGHTS = ("none", "population")


def outcome_years(outcome: str) -> list[int]:
    """The panel years in which a source gives `outcome` (poverty: not 2022; crime: the
    five crime years)."""
    check_outcome(outcome)
    return [y for y in YEARS if files_for(outcome, y)]


def panel_years() -> list[int]:
    return list(YEARS)


def check_outcome(outcome: str) -> str:
    if outcome not in OUTCOMES:
        raise UnknownChoice("outcome", outcome, OUTCOMES)
    return outcome


def check_year(year: int) -> int:
    years = panel_years()
    try:
        value = int(year)
    except (TypeError, ValueError):
        raise UnknownChoice("year", year, years) from None
    if value != year or value not in years:
        raise UnknownChoice("year", year, years)
    return value


def check_outcome_year(outcome: str, year: int) -> None:
    years = outcome_years(outcome)
    if year not in years:
        raise OutcomeUnavailable(outcome, year, years)


def resolve_outcomes(outcomes: str | Iterable[str] | None, year: int | None) -> list[str]:
    """Outcomes to estimate. None means every outcome that exists in `year`;
    an outcome asked for by name that does not exist in `year` is an error."""
    if outcomes is None:
        if year is None:
            return list(OUTCOMES)
        return [o for o in OUTCOMES if year in outcome_years(o)]
    names = [outcomes] if isinstance(outcomes, str) else list(outcomes)
    if not names:
        raise AnalysisError(f"no outcome given; valid outcomes: {', '.join(OUTCOMES)}")
    for name in names:
        check_outcome(name)
        if year is not None:
            check_outcome_year(name, year)
    return list(dict.fromkeys(names))


def resolve_covariates(covariates: str | Iterable[str] | None) -> tuple[str, tuple[str, ...]]:
    """(label, columns) for a covariate set name or a list of covariate names."""
    if covariates is None:
        covariates = DEFAULT_COVARIATES
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
