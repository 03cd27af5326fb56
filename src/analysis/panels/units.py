"""The units the comparisons run on, in one registry: counties, cities (Census places)
and states. Everything above the panels takes a `Unit` from here, resolved once at the
edge (the API and the command line), so no method has a second copy for a unit and
nothing below asks a unit's name.

A unit holds:

- its key column and panel (`key`, `panel_file`), the contract of its columns
  (`columns`), and the classification of its units by each definition
  (`definitions_file`);
- the outcomes its panel has, the years of each (`outcomes`, `outcome_years`) and
  its covariate sets, the first its default (`covariate_sets`);
- the source files behind each column and year (`files_for`), and the files every
  page about it cites (`page_files`);
- the words its pages use (`singular`, `plural`, `about`);
- what it supports (`supports`): the coverage cut of the county crime files, the
  border pairs of neighbouring counties; whether the panel holds every unit every
  year (`complete`), and the population cut by default.

The vocabulary shared by every unit is here too: the outcomes and covariates with
what each means, and the covariate sets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..core import paths
from ..core.errors import AnalysisError, OutcomeUnavailable, UnknownChoice
from . import state_schema
from . import years as source_years
from .city_schema import CITY_COLUMNS, CITY_YEARS
from .county_schema import COLUMNS

# Outcome -> what it measures, and its source.
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
    "violent crime without rape, whose definition changed in 2013",
    "unemployment_rate": "unemployment rate, annual average, percent (LAUS; the state panel's "
    "name for unemployment_pct)",
    "median_income": "median household income, current US dollars (SAIPE; the state panel's "
    "name for median_household_income)",
}
CRIME_OUTCOMES = (
    "total_crime_per_10k",
    "violent_per_10k",
    "property_per_10k",
    "violent_no_rape_per_10k",
)
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
    "unemployment_rate": "unemployment rate, percent (LAUS; states)",
    "poverty_pct": "share of people in poverty, percent (SAIPE)",
    "median_income": "median household income, US dollars (SAIPE; states)",
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
    # For states: the economy (a synthetic control's predictors beside the outcome's years).
    "state economy": ("unemployment_rate", "poverty_pct", "median_income"),
    # For cities: the city's own size and region, and its county's make-up and politics.
    "city": (
        "log_population",
        "region_midwest",
        "region_south",
        "region_west",
        "foreign_born_pct",
        "hispanic_pct",
        "nchs_urban_rural_2013",
        "trump_share_2016",
    ),
}

# What a unit can support, named in `Unit.supports` and asked for by methods.
CROSS_SECTION = "cross-section"  # one year's comparison of many units
PANEL = "panel"  # a panel of many units over years (difference-in-differences, event study)
COVERAGE_CUT = "coverage cut"  # the county crime files' coverage indicator
BORDER_PAIRS = "border pairs"  # units whose boundaries touch
SYNTHETIC_CONTROL = "synthetic control"  # a few treated units, each against its donors


@dataclass(frozen=True)
class Unit:
    name: str
    key: str  # the panel column naming the units
    singular: str
    plural: str
    panel_file: str  # in data/processed
    definitions_file: str  # each unit's status under each definition, in data/processed
    columns: Mapping[str, str]  # the panel's columns and what each means
    years: tuple[int, ...]
    outcomes: tuple[str, ...]
    years_of: Callable[[str], list[int]]  # outcome -> the years a source gives it
    covariate_sets: tuple[str, ...]  # the first is the default; () takes none
    files_for: Callable[[str, int], list[str]]  # column, year -> source file ids
    # years -> the files every page about the unit in those years cites
    page_files: Callable[[Iterable[int]], list[str]] = lambda years: []
    supports: frozenset[str] = field(default_factory=frozenset)
    complete: bool = True  # every unit has a row every year
    default_min_population: float | None = None
    state_column: str = "state_abbr"  # the panel column with the unit's postal code
    about: str = ""  # what a reader must know of the unit's data, on every page using it

    def __reduce__(self):
        # By name: a worker process finds the same entry in its own registry.
        return unit, (self.name,)

    def count(self, n: int) -> str:
        """'1 county', '3 cities'."""
        return f"{n:,} {self.singular if n == 1 else self.plural}"

    @property
    def default_covariates(self) -> str:
        return self.covariate_sets[0] if self.covariate_sets else "none"

    def panel_path(self) -> Path:
        return paths.processed_dir() / self.panel_file

    def definitions_path(self) -> Path:
        return paths.processed_dir() / self.definitions_file

    def requires(self, capability: str, what: str) -> None:
        """Stop unless the unit supports `capability`, saying which units do."""
        if capability not in self.supports:
            able = [u for u in UNITS.values() if capability in u.supports]
            raise AnalysisError(
                f"{what} is for {', '.join(u.plural for u in able) or 'no unit'}, not "
                f"{self.plural}: run it with unit={able[0].name!r} or choose another"
                if able
                else f"{what} runs on no unit of this build"
            )


def _county_years(outcome: str) -> list[int]:
    return [y for y in source_years.YEARS if source_years.files_for(outcome, y)]


# The files that place each city: its Census code and its county.
CITY_PLACING_FILES = (
    "city-geocodes",
    "city-geocodes-manual",
    "geocorr-2018-county-place",
    "places-2010",
)


def _city_page_files(years: Iterable[int]) -> list[str]:
    """A city page cites the FBI's table of each year it shows and the files placing each
    city in its Census place and county."""
    return [*CITY_PLACING_FILES, *(f"fbi-table8-{y}" for y in years)]


def _city_files(column: str, year: int) -> list[str]:
    """A city's crime comes from the FBI's table of its year; its covariates are its
    county's (the ACS and the other constant files)."""
    if column in CRIME_OUTCOMES or column in ("population", "log_population"):
        return [f"fbi-table8-{year}"]
    return [source_years.CONSTANT_FILES[column]] if column in source_years.CONSTANT_FILES else []


COUNTY = Unit(
    name="county",
    key="fips",
    singular="county",
    plural="counties",
    panel_file="county_panel.parquet",
    definitions_file="definitions.parquet",
    columns=COLUMNS,
    years=tuple(source_years.YEARS),
    outcomes=(
        "total_crime_per_10k",
        "violent_per_10k",
        "property_per_10k",
        "poverty_pct",
        "unemployment_pct",
        "median_household_income",
        "labor_force_participation_pct",
    ),
    years_of=_county_years,
    covariate_sets=("cap", "demographic", "political"),
    files_for=source_years.files_for,
    supports=frozenset({CROSS_SECTION, PANEL, COVERAGE_CUT, BORDER_PAIRS}),
)
CITY = Unit(
    name="city",
    key="place",
    singular="city",
    plural="cities",
    panel_file="city_panel.parquet",
    definitions_file="city_definitions.parquet",
    columns=CITY_COLUMNS,
    years=tuple(CITY_YEARS),
    # The FBI's city table: crime only.
    outcomes=CRIME_OUTCOMES,
    years_of=lambda outcome: list(CITY_YEARS),
    covariate_sets=("city",),
    files_for=_city_files,
    page_files=_city_page_files,
    supports=frozenset({CROSS_SECTION, PANEL}),
    complete=False,
    default_min_population=10_000.0,
    state_column="state",
    about="What the FBI's city table measures: offences known to each city's police, for "
    "the agencies that reported all 12 months of the year (so cities come and go from year "
    "to year), with the table's own population. It does not count crimes not reported "
    "to police, offences recorded by a county sheriff or state police within the city, "
    "or who committed them. A list's county or state policy covers a city only in a "
    "definition's broad reading; each page says which reading it uses.",
)

STATE = Unit(
    name="state",
    key="state",
    singular="state",
    plural="states",
    panel_file="state_panel.parquet",
    definitions_file="state_definitions.parquet",
    columns=state_schema.STATE_COLUMNS,
    years=tuple(state_schema.STATE_YEARS),
    outcomes=(
        "violent_no_rape_per_10k",
        "violent_per_10k",
        "property_per_10k",
        "total_crime_per_10k",
        "unemployment_rate",
        "poverty_pct",
        "median_income",
    ),
    years_of=state_schema.outcome_years,
    covariate_sets=("state economy",),
    files_for=state_schema.files_for,
    supports=frozenset({SYNTHETIC_CONTROL}),
    state_column="state",
    about="What the FBI's state estimates measure: offences known to police across a "
    "whole state, with the FBI's estimates for the agencies that did not report. Rape "
    "counts its broader, revised definition from 2013, so violent crime without rape is "
    "the series comparable across the change. 2021 was the first year of NIBRS-only "
    "reporting, with estimates resting on agencies covering about 65 % of the "
    "population: it is marked, and the default window stops in 2019. A state law covers "
    "every county and city of its state; one state made each law, so each is judged as "
    "one state against the others.",
)

UNITS: dict[str, Unit] = {u.name: u for u in (COUNTY, CITY, STATE)}
DEFAULT_UNIT = COUNTY


def unit(name: str | Unit) -> Unit:
    """The registry's Unit for a name (a Unit is returned as it is)."""
    if isinstance(name, Unit):
        return name
    if name not in UNITS:
        raise UnknownChoice("unit", name, UNITS)
    return UNITS[name]


def unit_outcomes(which: str | Unit = DEFAULT_UNIT) -> list[str]:
    """The outcomes a unit's panel has."""
    return list(unit(which).outcomes)


def outcome_years(outcome: str, which: str | Unit = DEFAULT_UNIT) -> list[int]:
    """The panel years in which a source gives `outcome` (counties, poverty: not 2022;
    crime: the five crime years; cities: crime 2010-2019)."""
    found = unit(which)
    check_outcome(outcome, found)
    return found.years_of(outcome)


def for_unit(outcomes: Iterable[str], which: str | Unit = DEFAULT_UNIT) -> list[str]:
    """Of `outcomes`, those the unit's panel has (cities: crime only)."""
    valid = set(unit(which).outcomes)
    return [o for o in outcomes if o in valid]


def panel_years(which: str | Unit = DEFAULT_UNIT) -> list[int]:
    return list(unit(which).years)


def check_outcome(outcome: str, which: str | Unit = DEFAULT_UNIT) -> str:
    found = unit(which)
    if outcome not in found.outcomes:
        # The default unit's outcomes are just "outcomes"; another unit's say whose they are.
        kind = "outcome" if found is DEFAULT_UNIT else f"{found.singular} outcome"
        raise UnknownChoice(kind, outcome, found.outcomes)
    return outcome


def check_year(year: int, which: str | Unit = DEFAULT_UNIT) -> int:
    years = panel_years(which)
    try:
        value = int(year)
    except (TypeError, ValueError):
        raise UnknownChoice("year", year, years) from None
    if value != year or value not in years:
        raise UnknownChoice("year", year, years)
    return value


def check_outcome_year(outcome: str, year: int, which: str | Unit = DEFAULT_UNIT) -> None:
    years = outcome_years(outcome, which)
    if year not in years:
        raise OutcomeUnavailable(outcome, year, years)


def resolve_outcomes(
    outcomes: str | Iterable[str] | None, year: int | None, which: str | Unit = DEFAULT_UNIT
) -> list[str]:
    """Outcomes to estimate. None means every outcome of the unit's panel that exists in
    `year`; an outcome asked for by name that does not exist in `year` is an error."""
    found = unit(which)
    if outcomes is None:
        if year is None:
            return list(found.outcomes)
        return [o for o in found.outcomes if year in found.years_of(o)]
    names = [outcomes] if isinstance(outcomes, str) else list(outcomes)
    if not names:
        raise AnalysisError(f"no outcome given; valid outcomes: {', '.join(found.outcomes)}")
    for name in names:
        check_outcome(name, found)
        if year is not None:
            check_outcome_year(name, year, found)
    return list(dict.fromkeys(names))


def resolve_covariates(
    covariates: str | Iterable[str] | None, which: str | Unit = DEFAULT_UNIT
) -> tuple[str, tuple[str, ...]]:
    """(label, columns) for a covariate set name or a list of covariate names; None is
    the unit's default set (cap for counties, city for cities)."""
    if covariates is None:
        covariates = unit(which).default_covariates
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


# Covariates computed from a panel column rather than read from one.
DERIVED = {
    "log_population": "population",
    "region_midwest": "census_region",
    "region_south": "census_region",
    "region_west": "census_region",
}


def measurable(covariates: str | Iterable[str], which: str | Unit) -> bool:
    """Whether a unit's panel has every column a covariate set needs (a city's region
    indicators come from the city panel's census_region, which counties have not)."""
    found = unit(which)
    _, columns = resolve_covariates(covariates, found)
    return all(DERIVED.get(c, c) in found.columns for c in columns)
