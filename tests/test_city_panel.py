"""The city panel's pieces on small samples written in each source's layout: the FBI's
city table (a sheet as read_sheet gives it), Data Commons' geocodes, the placing rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.core.errors import SourceFormatError
from analysis.names.places import METRO, NO_MATCH, Placer, read_city_aliases
from analysis.panels.city import TWICE, TWICE_NAMED, _one_agency_per_place
from analysis.readers import fbi_cities
from analysis.sources.buildlog import FileAccount

STATES = {"ALABAMA": "AL", "ILLINOIS": "IL", "CALIFORNIA": "CA"}


def lookup(text: str) -> str | None:
    return STATES.get(text.upper())


def sheet(header: list[str], rows: list[list]) -> pd.DataFrame:
    """A year's sheet as `read_sheet` returns it: text cells, three title rows first."""
    width = len(header)
    titles = [
        ["Table 8"] + [""] * (width - 1),
        ["Offenses Known to Law Enforcement"] + [""] * (width - 1),
        ["by State by City, 2013"] + [""] * (width - 1),
    ]
    cells = titles + [header] + [r + [""] * (width - len(r)) for r in rows]
    return pd.DataFrame(cells).astype("string")


HEADER_2013 = [
    "State", "City", "Population", "Violent\ncrime", "Murder and\nnonnegligent\nmanslaughter",
    "Rape\n(revised\ndefinition)1", "Rape\n(legacy\ndefinition)2", "Robbery",
    "Aggravated\nassault", "Property\ncrime", "Burglary", "Larceny-\ntheft",
    "Motor\nvehicle\ntheft", "Arson3",
]  # fmt: skip


def parse(frame: pd.DataFrame, year: int = 2013) -> tuple[pd.DataFrame, FileAccount]:
    account = FileAccount("fbi-table8-test", "sample.xls", "")
    return fbi_cities.parse(frame, "sample.xls", account, year, lookup), account


def test_the_2013_layout_reads_with_its_two_rape_columns_and_footnotes():
    frame = sheet(
        HEADER_2013,
        [
            [
                "ALABAMA",
                "Abbeville",
                "2645.0",
                "11.0",
                "1.0",
                "1.0",
                "",
                "2.0",
                "7.0",
                "63.0",
                "21.0",
                "39.0",
                "3.0",
                "",
            ],
            [
                "",
                "Adamsville4",
                "4481.0",
                "19.0",
                "1.0",
                "",
                "0.0",
                "7.0",
                "11.0",
                "321.0",
                "58.0",
                "252.0",
                "11.0",
                "",
            ],
            [
                "ILLINOIS5",
                "Chicago7, 8",
                "2706101.0",
                "",
                "415.0",
                "",
                "",
                "11819.0",
                "12120.0",
                "88354.0",
                "17829.0",
                "59470.0",
                "11055.0",
                "540.0",
            ],
            ["", "Chicago Sheriff", "", "0.0", "0.0", "", "", "0.0", "0.0", "5.0", "", "", "", ""],
            ["1 The figures shown in this column for the offense of rape ...", "", "", ""],
        ],  # fmt: skip
    )
    rows, account = parse(frame)
    assert rows["state"].tolist() == ["AL", "AL", "IL"]
    assert rows["name"].tolist() == ["Abbeville", "Adamsville", "Chicago"]
    assert rows["agency"].tolist() == ["Abbeville", "Adamsville4", "Chicago7, 8"]
    assert rows["rape"].tolist()[:2] == [1.0, 0.0]
    assert rows["rape_definition"].tolist()[:2] == ["revised", "legacy"]
    chicago = rows.iloc[2]
    assert np.isnan(chicago["violent_crimes"]) and np.isnan(chicago["rape"])  # blank stays blank
    assert chicago["robbery"] == 11819 and chicago["population"] == 2706101
    reasons = {d["reason"]: d["count"] for d in account.dropped}
    assert reasons[fbi_cities.NO_POPULATION] == 1
    assert reasons["footnote or blank row (no city, no population)"] == 1
    assert account.rows_read == account.rows_kept + 2


def test_the_header_is_found_by_its_text_not_its_position():
    frame = sheet(HEADER_2013, [["ALABAMA", "Abbeville", "2645.0", "11.0", "1.0", "1.0"]])
    moved = pd.concat([frame.iloc[:1], frame], ignore_index=True)  # one more title row
    assert parse(moved)[0]["name"].tolist() == ["Abbeville"]


def test_the_2010_and_2017_rape_columns_map_to_their_definitions():
    old = [h.replace("Rape\n(revised\ndefinition)1", "Forcible rape") for h in HEADER_2013]
    old.remove("Rape\n(legacy\ndefinition)2")
    rows, _ = parse(sheet(old, [["ALABAMA", "Abbeville", "2950", "21", "1", "3"]]), 2010)
    assert rows["rape_definition"].tolist() == ["legacy"] and rows["rape"].tolist() == [3.0]
    new = [h.replace("Rape\n(revised\ndefinition)1", "Rape1") for h in HEADER_2013]
    new.remove("Rape\n(legacy\ndefinition)2")
    rows, _ = parse(sheet(new, [["ALABAMA", "Abbeville", "2590", "12", "0", "2"]]), 2017)
    assert rows["rape_definition"].tolist() == ["revised"] and rows["rape"].tolist() == [2.0]


def test_a_changed_column_stops_the_build_naming_it():
    renamed = [h.replace("Robbery", "Robberies") for h in HEADER_2013]
    with pytest.raises(SourceFormatError, match="robberies"):
        parse(sheet(renamed, [["ALABAMA", "Abbeville", "2645.0"]]))


def test_a_state_that_is_not_a_state_stops_the_build():
    with pytest.raises(SourceFormatError, match="OREGONIA"):
        parse(sheet(HEADER_2013, [["OREGONIA", "Abbeville", "2645.0", "11.0"]]))


def test_a_non_numeric_count_names_its_row():
    with pytest.raises(SourceFormatError, match="row 5"):
        parse(sheet(HEADER_2013, [["ALABAMA", "Abbeville", "2645.0", "eleven"]]))


def test_the_placer_restores_lost_zeros_and_names_metropolitan_departments():
    placer = Placer(
        aliases={"nashville metropolitan tn": "4752006"},
        manual={"ventura ca": "665042", "las vegas metropolitan police department nv": "29820"},
        geocodes={
            "chicago il": "1714000",
            "nashville metropolitan tn": "9999999",
            "east chicago in": "1714000",  # a code of another state
        },
    )
    assert placer.place("Chicago", "IL", "17").place == "1714000"
    assert placer.place("Ventura", "CA", "06").place == "0665042"
    assert placer.restored == {"ventura ca"}
    assert placer.place("Nashville Metropolitan", "TN", "47").place == "4752006"  # alias first
    metro = placer.place("Las Vegas Metropolitan Police Department", "NV", "32")
    assert metro.place is None and metro.reason == METRO.format(code="29820")
    assert placer.place("Nowhere", "IL", "17").reason == NO_MATCH
    assert "another state" in placer.place("East Chicago", "IN", "18").reason


class Facts:
    names = {"4233408": {"hazleton"}}

    def names_match(self, code, agency):
        return agency.lower() in self.names.get(code, set())


def test_two_agencies_in_one_place_keep_the_one_with_the_census_name():
    agencies = pd.DataFrame(
        {
            "name": ["Hazleton", "Harleton", "Goshen Town", "Goshen Village"],
            "place": ["4233408", "4233408", "3629542", "3629542"],
            "reason": ["", "", "", ""],
        }
    )
    out = _one_agency_per_place(agencies, Facts())
    assert out["place"].iloc[0] == "4233408" and out["place"].iloc[1:].isna().all()
    assert out["reason"].tolist() == [
        "",
        TWICE_NAMED.format(place="4233408"),
        TWICE.format(place="3629542"),
        TWICE.format(place="3629542"),
    ]


def test_the_city_aliases_carry_a_reason_each(tmp_path):
    aliases = read_city_aliases()
    assert aliases["nashville metropolitan tn"] == "4752006"
    bad = tmp_path / "aliases.csv"
    bad.write_text("name,state,place,comment\nSomewhere,TN,47520,\n")
    with pytest.raises(SourceFormatError, match="comment"):
        read_city_aliases(bad)
