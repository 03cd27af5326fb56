"""A gazetteer from the hand-written Census samples in tests/fixtures/jurisdictions,
shared by the resolver's and the user lists' unit tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.names import gazetteer
from analysis.names.gazetteer import Gazetteer, PlaceTable
from analysis.readers import census_codes
from analysis.sources.buildlog import FileAccount

SAMPLES = Path(__file__).parent / "fixtures" / "jurisdictions"
STATES = [
    ("01", "AL", "Alabama"),
    ("09", "CT", "Connecticut"),
    ("11", "DC", "District of Columbia"),
    ("13", "GA", "Georgia"),
    ("19", "IA", "Iowa"),
    ("20", "KS", "Kansas"),
    ("22", "LA", "Louisiana"),
    ("24", "MD", "Maryland"),
    ("25", "MA", "Massachusetts"),
    ("26", "MI", "Michigan"),
    ("35", "NM", "New Mexico"),
    ("36", "NY", "New York"),
    ("42", "PA", "Pennsylvania"),
    ("46", "SD", "South Dakota"),
    ("51", "VA", "Virginia"),
]


def _account(name: str) -> FileAccount:
    return FileAccount(name, name, "sha256-of-sample")


def sample_gazetteer() -> Gazetteer:
    codes = census_codes.read(SAMPLES / "national_county_sample.txt", _account("codes"))
    codes = codes[codes["state_fips"] != "72"]
    # The 2015 boundary file's names: no suffix, Shannon renamed, Bedford city merged.
    counties_2015 = codes[codes["fips"] != "51515"][["fips", "state_fips", "county_name"]].copy()
    counties_2015["name"] = (
        counties_2015["county_name"]
        .str.replace(r" (County|Parish|city)$", "", regex=True)
        .str.replace("Dona Ana", "Doña Ana")
    )
    counties_2015.loc[counties_2015["fips"] == "46113", ["fips", "name"]] = [
        "46102",
        "Oglala Lakota",
    ]
    states = pd.DataFrame(STATES, columns=["state_fips", "state_abbr", "state_name"])
    g = Gazetteer(
        counties=gazetteer.county_table(codes, counties_2015, Path("codes")), states=states
    )
    places = gazetteer.read_places_2010(
        SAMPLES / "national_places_sample.txt", _account("places"), g
    )
    g.places = PlaceTable(places, "places-2010")
    index = gazetteer.read_place_index_2020(
        SAMPLES / "place_index_2020_sample.json", _account("index"), g
    )
    g.places_2020 = PlaceTable(index, "place-index-2020")
    return g
