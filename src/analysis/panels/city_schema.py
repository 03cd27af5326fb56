"""The city panel's contract: its columns and what each means, checked on every build.

One row per Census place (7-digit GEOID; a 10-digit county subdivision code for the
townships of New Jersey, Pennsylvania, Michigan, New York and New England) and year,
2010-2019, for the city agencies the FBI's city table lists that year: only agencies
that reported all 12 months are in it, so cities come and go (`city_coverage`).
"""

from __future__ import annotations

import pandas as pd

from ..core.errors import ValidationError
from .years import CITY_YEARS

PLACE_PATTERN = r"^(\d{7}|\d{10})$"

COUNT_COLUMNS = [
    "violent_crimes",
    "murder",
    "rape",
    "robbery",
    "aggravated_assault",
    "property_crimes",
    "burglary",
    "larceny_theft",
    "motor_vehicle_theft",
    "arson",
]
# County columns a city carries from the county that holds most of its people: the
# covariates of its surroundings, the same in every year.
COUNTY_COVARIATES = [
    "foreign_born_pct",
    "noncitizen_pct",
    "hispanic_pct",
    "nchs_urban_rural_2013",
    "rucc_2013",
    "trump_share_2016",
]

CITY_COLUMNS: dict[str, str] = {
    "place": "Census place code: 7 digits (state + place), or 10 digits for a county "
    "subdivision (state + county + subdivision: townships)",
    "year": "Calendar year of the FBI's table",
    "state": "State postal abbreviation",
    "state_fips": "State FIPS code, 2 characters",
    "name": "The agency's city as the FBI's table names it, footnote digits removed",
    "agency": "The city cell as printed, footnote digits included",
    "place_kind": "place (an incorporated place or CDP) or county subdivision",
    "county": "5-digit FIPS (2015 boundaries) of the county that holds most of the place's "
    "people (Geocorr 2018 allocation; a county subdivision's own county)",
    "county_share": "Share of the place's 2010 population living in `county` (Geocorr 2018)",
    "population": "The FBI table's population for the agency's jurisdiction",
    "violent_crimes": "Violent crimes known to police, the FBI's published total (blank "
    "where the FBI left out the agency's rape count: Chicago 2010-2013)",
    "murder": "Murder and nonnegligent manslaughter",
    "rape": "Rape, in the definition the agency used (rape_definition)",
    "robbery": "Robbery",
    "aggravated_assault": "Aggravated assault",
    "property_crimes": "Property crimes known to police",
    "burglary": "Burglary",
    "larceny_theft": "Larceny-theft",
    "motor_vehicle_theft": "Motor vehicle theft",
    "arson": "Arson (published only for agencies reporting it all year)",
    "rape_definition": "legacy (2010-2012, and some agencies 2013-2016) or revised (the "
    "definition broadened in 2013; the only one from 2017)",
    "violent_per_10k": "Violent crimes per 10,000 of the table's population: the FBI's "
    "total, whose rape part changed definition in 2013",
    "violent_no_rape_per_10k": "Murder, robbery and aggravated assault per 10,000: violent "
    "crime without rape, comparable across all ten years",
    "property_per_10k": "Property crimes per 10,000 of the table's population",
    "total_crime_per_10k": "Violent plus property crimes per 10,000",
    "census_region": "Census region of the state (Northeast, Midwest, South, West)",
    **{
        c: f"The county's {c} (see the county panel), the same in every year"
        for c in COUNTY_COVARIATES
    },
}


def _schema():
    import pandera.pandas as pa

    def count():
        return pa.Column(float, pa.Check.ge(0), nullable=True)

    def pct():
        return pa.Column(float, pa.Check.in_range(0, 100), nullable=True)

    columns = {
        "place": pa.Column("string", pa.Check.str_matches(PLACE_PATTERN)),
        "year": pa.Column("int64", pa.Check.isin(CITY_YEARS)),
        "state": pa.Column("string", pa.Check.str_matches(r"^[A-Z]{2}$")),
        "state_fips": pa.Column("string", pa.Check.str_matches(r"^\d{2}$")),
        "name": pa.Column("string"),
        "agency": pa.Column("string"),
        "place_kind": pa.Column("string", pa.Check.isin(["place", "county subdivision"])),
        "county": pa.Column("string", pa.Check.str_matches(r"^\d{5}$")),
        "county_share": pa.Column(float, pa.Check.in_range(0, 1)),
        "population": pa.Column(float, pa.Check.ge(0)),
        **{c: count() for c in COUNT_COLUMNS},
        "rape_definition": pa.Column("string", pa.Check.isin(["legacy", "revised"]), nullable=True),
        "violent_per_10k": count(),
        "violent_no_rape_per_10k": count(),
        "property_per_10k": count(),
        "total_crime_per_10k": count(),
        "census_region": pa.Column(
            "string", pa.Check.isin(["Northeast", "Midwest", "South", "West"])
        ),
        "foreign_born_pct": pct(),
        "noncitizen_pct": pct(),
        "hispanic_pct": pct(),
        "nchs_urban_rural_2013": pa.Column("Int64", pa.Check.isin(range(1, 7)), nullable=True),
        "rucc_2013": pa.Column("Int64", pa.Check.isin(range(1, 10)), nullable=True),
        "trump_share_2016": pct(),
    }
    return pa.DataFrameSchema(
        columns, unique=["place", "year"], strict=True, ordered=True, name="city_panel"
    )


def validate_city_panel(panel: pd.DataFrame) -> None:
    import pandera.errors

    try:
        _schema().validate(panel, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        summary = cases.groupby(["column", "check"], dropna=False).agg(
            n=("failure_case", "size"), examples=("failure_case", lambda s: list(s.head(3)))
        )
        raise ValidationError("the city panel breaks its schema:\n" + summary.to_string()) from exc
    years = set(panel["year"].unique())
    if years != set(CITY_YEARS):
        raise ValidationError(f"the city panel should hold {CITY_YEARS}; it holds {sorted(years)}")


def city_coverage(panel: pd.DataFrame) -> pd.DataFrame:
    """Cities in the table per state (rows) and year (columns): who reported all year."""
    table = panel.pivot_table(
        index="state", columns="year", values="place", aggfunc="nunique", fill_value=0
    )
    return table.reindex(columns=CITY_YEARS, fill_value=0).astype(int)
