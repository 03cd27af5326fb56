"""Which Census places (the city panel's unit) each list row names.

A city row names the place it resolved to (the Census 2010 place lists carry its code),
or else the place Data Commons' table of FBI city names gives its name
(`city_places.Placer`: New York City, Washington DC, the consolidated governments). A
row naming a county names the city of a consolidated city-county when there is one:
the place holding nearly all of the county's people (COEXTENSIVE_SHARE) and lying
wholly in the row's counties (San Francisco, Denver, Philadelphia, Nashville-Davidson),
but not a large city in a larger county (Portland holds 79 % of Multnomah County).
Rows naming states name no place themselves; a broad reading of a definition covers
their cities (definitions.classify_places).
"""

from __future__ import annotations

import pandas as pd

from .resolve import UNRESOLVED, city_variants

# A county is its city's when the city holds at least this share of the county's people
# (Nashville-Davidson holds 0.96 of Davidson County; Portland 0.79 of Multnomah).
COEXTENSIVE_SHARE = 0.95
# ...and the city lies in the row's counties (all but a rounding of its people).
INSIDE_SHARE = 0.99


def coextensive_places(allocation: pd.DataFrame) -> dict[str, tuple[str, float]]:
    """county -> (the place of its consolidated city-county government, the place's share
    of people in that county), from Geocorr's allocation (fips, place, share: of the
    place in the county, county_share: of the county in the place)."""
    big = allocation[allocation["county_share"] >= COEXTENSIVE_SHARE]
    return {f: (p, s) for f, p, s in zip(big["fips"], big["place"], big["share"])}


def attach_places(resolved: pd.DataFrame, coextensive: dict, placer, state_fips) -> None:
    """Fill `places` of every resolved row that has none yet (see the module's doc)."""
    places = []
    for row in resolved.itertuples():
        found = list(row.places)
        if not found and row.method != UNRESOLVED:
            if row.kind == "city":
                found = _by_name(row.name, row.state, placer, state_fips[row.state])
            if not found and (row.kind == "county" or row.method == "county_equivalent"):
                found = _consolidated(row.fips, coextensive)
        places.append(found)
    resolved["places"] = places


def _consolidated(counties, coextensive: dict) -> list[str]:
    """The one place that is the row's counties' consolidated city, if there is one."""
    parts = [coextensive.get(f) for f in counties]
    if not parts or None in parts or len({p for p, _ in parts}) != 1:
        return []
    return [parts[0][0]] if sum(s for _, s in parts) >= INSIDE_SHARE else []


def _by_name(name: str, state: str, placer, state_fips: str) -> list[str]:
    for variant in city_variants(name):
        placing = placer.place(variant, state, state_fips)
        if placing.place:
            return [placing.place]
    return []
