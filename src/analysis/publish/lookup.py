"""One place's own figures, for the reader who asks "is my county (my city) on these
lists, and how does it compare?".

For every county and every city of the FBI's table: its status under each definition
with the list row that put it there, its outcomes year by year, and the same outcomes
for its state and the nation, as a population-weighted average of the state's (the
nation's) counties or of the cities in each year's table. For each county, the matched
comparison of the 2017 CAP report's design (the ICE 2014 table, 2015, nearest neighbour
on log population, foreign-born and Hispanic shares): the county a listed county was
matched to, or the listed counties a county served as the match for.

The page (analysis.reports.finder) embeds `profiles()` as JSON.
"""

from __future__ import annotations

import pandas as pd

from ..compare import matched_sets
from ..jurisdictions import list_definitions, load_definition
from ..panels.load import load_panel
from . import labels

COUNTY_OUTCOMES = ["poverty_pct", "unemployment_pct", "median_household_income"]
COUNTY_OUTCOMES += ["total_crime_per_10k"]
CITY_OUTCOMES = ["violent_per_10k", "property_per_10k"]
# The CAP report's design, as the replication report runs it.
CAP_DEFINITION, CAP_YEAR, CAP_COVARIATES = "ice2014", 2015, "cap"
# Every county has 2015 poverty, so every listed county gets a match.
CAP_MATCH_OUTCOME = "poverty_pct"
# Digits kept: the page shows one decimal (dollars whole).
DIGITS = {"median_household_income": 0}


def _rounded(values: pd.Series, outcome: str) -> list:
    digits = DIGITS.get(outcome, 1)
    if digits == 0:
        return [None if pd.isna(v) else int(round(float(v))) for v in values]
    return [None if pd.isna(v) else round(float(v), digits) + 0.0 for v in values]


def weighted(panel: pd.DataFrame, outcomes: list[str], by: list[str]) -> pd.DataFrame:
    """Population-weighted means of `outcomes` by `by` (and year), over the units with a
    value: for a rate per resident, the rate of the group."""
    rows = {}
    for outcome in outcomes:
        has = panel.dropna(subset=[outcome, "population"])
        has = has[has["population"] > 0]
        total = (has[outcome] * has["population"]).groupby([has[b] for b in by]).sum()
        rows[outcome] = total / has.groupby(by)["population"].sum()
    return pd.DataFrame(rows)


def _series(table: pd.DataFrame, outcomes: list[str], years: list[int]) -> dict:
    """{outcome: [value per year]} of a table indexed by year."""
    table = table.reindex(years)
    return {o: _rounded(table[o], o) for o in outcomes}


def _by_unit(panel: pd.DataFrame, key: str, outcomes: list[str], years: list[int]) -> dict:
    """{code: {outcome: [value per year]}} for every unit of a panel, in one pass."""
    wide = {
        o: panel.pivot(index=key, columns="year", values=o).reindex(columns=years) for o in outcomes
    }
    codes = wide[outcomes[0]].index
    rows = {o: [_rounded(row, o) for row in wide[o].to_numpy()] for o in outcomes}
    return {code: {o: rows[o][i] for o in outcomes} for i, code in enumerate(codes)}


# A place's outcome -> the state panel's column for it (the state rows of the same
# sources; the FBI's state estimates for crime).
STATE_COLUMN = {
    "unemployment_pct": "unemployment_rate",
    "median_household_income": "median_income",
}


def references(states: pd.DataFrame, outcomes: list[str], years: list[int]) -> dict:
    """The nation's and each state's figures from the state panel: {"nation": {outcome:
    [...]}, "states": {state: {outcome: [...]}}}. A state's line is the state's own (the
    FBI's state estimates, the state rows of LAUS and SAIPE), so it does not move when a
    city of the state enters or leaves the FBI's city table; the nation's is the states',
    weighted by population (for a rate per resident, the nation's rate)."""
    columns = {o: STATE_COLUMN.get(o, o) for o in outcomes}
    frame = states.rename(columns={v: k for k, v in columns.items()})
    nation = weighted(frame.assign(all=1), outcomes, ["all", "year"]).droplevel(0)
    by_state = frame.set_index(["state", "year"])[outcomes]
    return {
        "nation": _series(nation, outcomes, years),
        "states": {
            s: _series(part.droplevel(0), outcomes, years) for s, part in by_state.groupby(level=0)
        },
    }


def statuses(definitions: list[str], unit: str) -> dict[str, list]:
    """{code: [[status, reason] per definition]} for the units any definition marks."""
    marked: dict[str, list] = {}
    for i, name in enumerate(definitions):
        table = load_definition(name, reasons=True, unit=unit)
        table = table[table["status"] != "other"]
        for code, status, reason in zip(table.index, table["status"], table["reason"]):
            marked.setdefault(str(code), [None] * len(definitions))[i] = [status, reason]
    return marked


def cap_matches(panel: pd.DataFrame) -> pd.DataFrame:
    """The CAP design's matched pairs (fips_focal, fips_comparison)."""
    pairs = matched_sets(
        panel,
        load_definition(CAP_DEFINITION),
        CAP_YEAR,
        CAP_MATCH_OUTCOME,
        covariates=CAP_COVARIATES,
    )
    return pairs.dropna(subset=["fips_comparison"])[["fips_focal", "fips_comparison"]]


def profiles(definitions: list[str] | None = None) -> dict:
    """Everything the place finder shows, as plain data (lists and dicts)."""
    catalogue = list_definitions()
    definitions = definitions or list(catalogue.index)
    counties = load_panel()
    cities = load_panel(unit="city")
    states = load_panel(unit="state")
    county_years = sorted(int(y) for y in counties["year"].unique())
    city_years = sorted(int(y) for y in cities["year"].unique())
    pairs = cap_matches(counties)
    matched_to = dict(zip(pairs["fips_focal"], pairs["fips_comparison"], strict=True))
    served = pairs.groupby("fips_comparison")["fips_focal"].apply(sorted).to_dict()

    places = []
    county_status = statuses(definitions, "county")
    names = counties.drop_duplicates("fips").set_index("fips").sort_index()
    values = _by_unit(counties, "fips", COUNTY_OUTCOMES, county_years)
    for fips, name, state in zip(names.index, names["county_name"], names["state_abbr"]):
        places.append(
            {
                "unit": "county",
                "code": fips,
                "name": str(name),
                "state": str(state),
                "status": county_status.get(fips),
                "values": values[fips],
                "matched_to": matched_to.get(fips),
                "match_for": served.get(fips, []),
            }
        )
    city_status = statuses(definitions, "city")
    latest = cities.sort_values("year").drop_duplicates("place", keep="last")
    latest = latest.set_index("place").sort_index()
    values = _by_unit(cities, "place", CITY_OUTCOMES, city_years)
    for place, row in zip(latest.index, latest[["name", "state", "county"]].to_numpy()):
        name, state, county = row
        places.append(
            {
                "unit": "city",
                "code": place,
                "name": str(name),
                "state": str(state),
                "county": str(county) if pd.notna(county) else None,
                "status": city_status.get(place),
                "values": values[place],
            }
        )
    return {
        "definitions": [
            {
                "id": d,
                "label": labels.definition(d),
                "kind": str(catalogue.loc[d, "status"]),
                "title": str(catalogue.loc[d, "title"]),
            }
            for d in definitions
        ],
        "units": {
            "county": {
                "years": county_years,
                "outcomes": _outcomes(COUNTY_OUTCOMES),
                "reference": references(states, COUNTY_OUTCOMES, county_years),
            },
            "city": {
                "years": city_years,
                "outcomes": _outcomes(CITY_OUTCOMES),
                "reference": references(states, CITY_OUTCOMES, city_years),
            },
        },
        "cap": {
            "definition": labels.definition(CAP_DEFINITION),
            "year": CAP_YEAR,
            "covariates": "log population, foreign-born and Hispanic shares",
        },
        "places": places,
    }


def _outcomes(names: list[str]) -> list[dict]:
    return [{"id": o, "label": labels.short(o), "unit": labels.unit(o)} for o in names]
