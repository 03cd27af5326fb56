"""Definitions read at city level, and comparisons of cities, on the real lists and the
city panel."""

from __future__ import annotations

import io

import pytest

from analysis import cli, load_resolution
from analysis.compare import compare
from analysis.jurisdictions.tables import enactment_dates, load_definition

pytestmark = pytest.mark.integration

CHICAGO, NEW_YORK, SAN_FRANCISCO, PORTLAND_OR = "1714000", "3651000", "0667000", "4159000"


def test_the_strict_reading_marks_the_listed_cities_only():
    strict = load_definition("ice2014", unit="city")
    assert strict[[CHICAGO, NEW_YORK, SAN_FRANCISCO]].eq("sanctuary").all()
    # Portland lies in Multnomah County, whose jail policy is listed; the city is not.
    assert strict[PORTLAND_OR] == "other"
    broad = load_definition("ice2014_broad", unit="city", reasons=True)
    assert broad.loc[PORTLAND_OR, "status"] == "sanctuary"
    assert broad.loc[PORTLAND_OR, "reason"].startswith("in a listed county")
    assert set(broad["reading"]) == {"broad"}


def test_each_list_row_shows_the_place_it_resolved_to():
    rows = load_resolution("cis-sanctuary-map").set_index("raw")
    assert list(rows.loc["New York City, New York", "places"]) == [NEW_YORK]
    assert list(rows.loc["Chicago, Illinois", "places"]) == [CHICAGO]


def test_a_state_law_covers_every_city_of_its_state_with_its_date():
    laws = load_definition("state_laws", unit="city", reasons=True)
    california = laws[laws.index.str.startswith("06")]
    assert california["status"].eq("sanctuary").all()
    assert set(california["enacted"]) == {"2018-01"}
    texas = laws[laws.index.str.startswith("48")]
    assert texas["status"].eq("other").all()
    dates = enactment_dates("state_laws", unit="city")
    assert dates[SAN_FRANCISCO] == "2018-01" and dates[CHICAGO] == "2017-08"


def test_the_cli_example_prints_a_city_estimate_with_its_counts(capsys):
    code = cli.main(
        [
            "compare", "--unit", "city", "--definition", "dhs2025", "--method", "match",
            "--year", "2016", "--outcome", "violent_per_10k", "--format", "csv",
        ]
    )  # fmt: skip
    out = capsys.readouterr().out
    import pandas as pd

    row = pd.read_csv(io.StringIO(out)).iloc[0]
    assert code == 0 and row["unit"] == "city" and row["method"] == "match"
    assert row["n_focal"] > 100 and row["n_comparison"] > 1000 and pd.notna(row["estimate"])
    assert row["min_population"] == 10_000


def test_the_sb54_event_study_runs_on_the_cities_present_every_year():
    table = compare(
        "state_laws", "event", outcomes="violent_no_rape_per_10k", unit="city", states=["CA"]
    )
    average = table[table["term"] == "after (average)"].iloc[0]
    assert average["n_focal"] > 100
    assert "are in the table in every year 2010-2019" in average["note"]
    assert "focal cities of CA only" in average["note"]
    assert set(table["calendar_years"].dropna()) >= {"2018", "2019"}
