"""The definitions built from the real lists (data/raw, data/processed: `make data`)."""

from __future__ import annotations

import pandas as pd
import pytest

import analysis
from analysis.core import paths
from analysis.core.errors import AnalysisError, SourceFormatError, ValidationError
from analysis.jurisdictions import readers, tables
from analysis.jurisdictions.build import build_definitions
from analysis.jurisdictions.definitions import load_definitions
from analysis.jurisdictions.resolve import aliases_file
from analysis.panels.county_schema import N_COUNTIES

pytestmark = pytest.mark.integration


def _require(path):
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make data` (or `make test`, which builds it first)")
    return path


@pytest.fixture(scope="session")
def resolution() -> pd.DataFrame:
    _require(tables.resolution_path())
    return tables.load_resolution()


@pytest.fixture(scope="session")
def table() -> pd.DataFrame:
    return pd.read_parquet(_require(tables.definitions_path()))


@pytest.fixture(scope="session")
def build_log() -> dict:
    import json

    return json.loads(_require(tables.log_path()).read_text())


def rows(resolution: pd.DataFrame, source: str) -> pd.DataFrame:
    return resolution[resolution["source"] == source]


def marked(table: pd.DataFrame, definition: str) -> set[str]:
    part = table[table["definition"] == definition]
    return set(part.loc[part["status"] != "other", "fips"])


# --- every list, read as published -------------------------------------------------


def test_the_2014_table_rows_and_distinct_counties(resolution, counts):
    cis = rows(resolution, "cis-sanctuary-map")
    assert len(cis) == counts["cis_rows"]
    assert cis["kind"].value_counts().to_dict() == {
        "county": counts["cis_county_rows"],
        "city": counts["cis_city_rows"],
        "state": counts["cis_state_rows"],
        "statewide": counts["cis_statewide_rows"],
    }
    counties = cis[cis["kind"] == "county"]
    assert set(counties["method"]) == {"exact"}
    assert len({f for codes in counties["fips"] for f in codes}) == counts["cis_distinct_counties"]


def test_dhs_counts_match_the_pdf(resolution, counts):
    dhs = rows(resolution, "dhs-list-2025")
    listed = dhs["listed_as"].value_counts()
    assert listed["County"] + listed["Counties"] == counts["dhs_county_entries"]
    assert (listed["Cities"], listed["State"]) == (
        counts["dhs_city_entries"],
        counts["dhs_state_entries"],
    )
    assert dhs["state"].nunique() == counts["dhs_states"]


def test_doj_entries(resolution, counts):
    doj = rows(resolution, "doj-list-2025")
    assert doj["listed_as"].value_counts().to_dict() == {
        "city": counts["doj_city_entries"],
        "state": counts["doj_state_entries"],
        "county": counts["doj_county_entries"],
    }


def test_washington_post_agencies_active_in_2014_and_2015(resolution, counts):
    wapo = rows(resolution, "wapo-287g-2019")
    assert len(wapo) == counts["wapo_agency_rows"]
    active = {y: int(sum(y in list(ys) for ys in wapo["years_active"])) for y in (2014, 2015)}
    assert active == {2014: counts["wapo_active_2014"], 2015: counts["wapo_active_2015"]}


def test_ice_2025_sheet_agreements(resolution, counts):
    ice = rows(resolution, "ice-287g-2025")
    assert ice["listed_as"].value_counts().to_dict() == {
        "County": counts["ice2025_county_rows"],
        "Municipality": counts["ice2025_municipality_rows"],
        "State Agency": counts["ice2025_state_agency_rows"],
    }


def test_every_file_is_accounted_for(build_log):
    for account in build_log["files"]:
        dropped = sum(d["count"] for d in account.get("dropped", []))
        assert account["rows_read"] == account["rows_kept"] + dropped, account["file_id"]
    ids = {a["file_id"] for a in build_log["files"]}
    assert ids >= {
        "cis-sanctuary-map",
        "dhs-list-2025",
        "doj-list-2025",
        "wapo-287g-2019",
        "ice-287g-2025",
        "places-2010",
        "place-index-2020",
        "county-codes-2010",
        "counties-2015",
        "states-2015",
    }


def test_a_dhs_layout_that_loses_an_entry_fails_loudly(raw_dir, counts):
    path = raw_dir / "jurisdictions/dhs-sanctuary-2025/dhs_sanctuary_jurisdictions_2025-05.pdf"
    states = pd.read_parquet(
        _require(paths.processed_dir() / "states.parquet"), columns=["state_abbr", "state_name"]
    )
    by_name = {n.lower(): a for n, a in zip(states["state_name"], states["state_abbr"])}

    def lookup(text: str) -> str | None:
        return by_name.get(text.strip().lower())

    lines = readers.pdf_lines(path)
    frame, _ = readers.parse_dhs_lines(lines, path, lookup)
    assert len(frame) == counts["dhs_pdf_entries"]
    shorter = [line for line in lines if line.text != "Peoria County"]
    with pytest.raises(
        SourceFormatError, match=r"Illinois: read \(1, 95, 7\), the page shows \(1, 96, 7\)"
    ):
        readers.parse_dhs_lines(shorter, path, lookup)


# --- resolution ----------------------------------------------------------------------


def find(resolution: pd.DataFrame, source: str, raw: str, state: str | None = None) -> pd.Series:
    match = resolution[(resolution["source"] == source) & (resolution["raw"] == raw)]
    if state is not None:
        match = match[match["state"] == state]
    assert len(match) == 1, f"{raw!r}: {len(match)} rows"
    return match.iloc[0]


def test_suffolk_county_new_york_is_36103(resolution):
    row = find(resolution, "cis-sanctuary-map", "Suffolk County, New York")
    assert (list(row["fips"]), row["method"]) == (["36103"], "exact")


def test_the_typos_resolve(resolution):
    assert list(find(resolution, "cis-sanctuary-map", "Cass County, lowa")["fips"]) == ["19029"]
    east_haven = find(resolution, "cis-sanctuary-map", "East Haven. Connecticut")
    assert (list(east_haven["fips"]), east_haven["method"]) == (["09009"], "containing_county")
    assert list(find(resolution, "dhs-list-2025", "DeBaca County")["fips"]) == ["35011"]
    assert list(find(resolution, "dhs-list-2025", "Doña Ana County")["fips"]) == ["35013"]


def test_collier_county_gets_its_own_code_not_the_sheets(resolution, build_log):
    row = find(resolution, "wapo-287g-2019", "Collier County Sheriff's Office")
    assert list(row["fips"]) == ["12021"] and row["source_fips"] == "12023"
    assert "source_fips_differs" in list(row["flags"])
    columbia = find(resolution, "wapo-287g-2019", "Columbia County Sheriff's Office")
    assert list(columbia["fips"]) == ["12023"] and "source_fips_differs" not in list(
        columbia["flags"]
    )
    logged = {d["name"] for d in build_log["resolution"]["source_fips_disagreements"]}
    assert "Collier County Sheriff's Office" in logged


def test_consolidated_cities_are_their_counties(resolution):
    nyc = find(resolution, "doj-list-2025", "New York City")
    assert (sorted(nyc["fips"]), nyc["method"]) == (
        ["36005", "36047", "36061", "36081", "36085"],
        "county_equivalent",
    )
    for source, raw, state, fips in [
        ("cis-sanctuary-map", "Washington, DC", "DC", "11001"),
        ("cis-sanctuary-map", "Philadelphia, Pennsylvania", "PA", "42101"),
        ("cis-sanctuary-map", "Baltimore, Maryland", "MD", "24510"),
        ("dhs-list-2025", "Richmond", "VA", "51760"),
        ("dhs-list-2025", "City of Anchorage", "AK", "02020"),
        ("doj-list-2025", "District of Columbia", "DC", "11001"),
        ("doj-list-2025", "Denver", "CO", "08031"),
    ]:
        row = find(resolution, source, raw, state)
        assert (list(row["fips"]), row["method"]) == ([fips], "county_equivalent"), raw


def test_dhs_mistakes_are_kept_and_flagged(resolution):
    douglas = find(resolution, "dhs-list-2025", "Douglas County", "KS")
    assert (douglas["listed_as"], douglas["kind"], list(douglas["fips"])) == (
        "Cities",
        "county",
        ["20045"],
    )
    assert "dhs_listed_under_cities" in list(douglas["flags"])
    lawrence = find(resolution, "dhs-list-2025", "Lawrence", "KS")
    assert (lawrence["listed_as"], lawrence["method"]) == ("County", "containing_county")


def test_a_city_in_two_counties_resolves_to_both(resolution):
    row = find(resolution, "doj-list-2025", "East Lansing")
    assert sorted(row["fips"]) == ["26037", "26065"]


def test_no_county_level_row_is_unresolved_and_city_rows_say_why(resolution):
    unresolved = resolution[resolution["method"] == "unresolved"]
    assert set(unresolved["kind"]) <= {"city"}
    assert unresolved["unresolved_reason"].str.len().min() > 30
    assert (resolution.loc[resolution["method"] != "unresolved", "fips"].map(len) > 0).all()
    assert len(unresolved) <= 5


def test_every_alias_line_is_used(resolution):
    lines = [
        n
        for n, line in enumerate(aliases_file().read_text().splitlines(), start=1)
        if line.strip() and not line.startswith(("#", "source,"))
    ]
    used = set(resolution["alias_line"].dropna().astype(int))
    assert set(lines) == used


# --- definitions ----------------------------------------------------------------------


def test_every_county_appears_once_per_definition(table):
    ids = [d.id for d in load_definitions()]
    assert sorted(table["definition"].unique()) == sorted(ids)
    for definition, part in table.groupby("definition"):
        assert len(part) == N_COUNTIES and part["fips"].is_unique, definition
    assert set(table["status"]) == {"sanctuary", "cooperating", "other"}
    assert table["reason"].notna().all()


def test_the_universe_is_the_panels(table):
    panel = analysis.load_panel(years=[2015], columns=["county_name"])
    assert set(table["fips"]) == set(panel["fips"])


def test_ice2014_is_the_listed_counties_and_county_equivalent_cities(resolution, table, counts):
    cis = rows(resolution, "cis-sanctuary-map")
    counties = {f for codes in cis.loc[cis["kind"] == "county", "fips"] for f in codes}
    equivalents = {
        f
        for codes in cis.loc[
            cis["method"].isin(["county_equivalent", "alias"]) & (cis["kind"] == "city"), "fips"
        ]
        for f in codes
    }
    assert len(counties) == counts["cis_distinct_counties"]
    assert marked(table, "ice2014") == counties | equivalents
    assert {"36005", "36047", "36061", "36081", "36085", "11001", "42101", "24510"} <= equivalents
    assert "25025" not in marked(table, "ice2014")  # Boston's county: a city policy only


def test_broad_definitions_contain_the_strict_ones(table):
    assert marked(table, "ice2014") < marked(table, "ice2014_broad")
    assert marked(table, "doj2025") < marked(table, "doj2025_broad")
    colorado = {f for f in set(table["fips"]) if f.startswith("08")}
    assert colorado <= marked(table, "ice2014_broad")


def test_counts_per_definition(table):
    counts = {d: len(marked(table, d)) for d in table["definition"].unique()}
    assert counts["ice2014"] == 149
    assert counts["doj2025"] == 13
    assert 400 <= counts["dhs2025"] <= 420
    assert counts["g287_2015"] == 33
    assert "12021" in marked(table, "g287_2015") and "12023" not in marked(table, "g287_2015")


def test_library_calls(table, counts):
    status = analysis.load_definition("dhs2025")
    assert len(status) == N_COUNTIES and status.name == "dhs2025"
    assert status["20045"] == "sanctuary"  # Douglas County, KS, printed under Cities
    matrix = analysis.definition_overlap()
    listing = analysis.list_definitions()
    for definition in matrix.index:
        assert matrix.loc[definition, definition] == listing.loc[definition, "counties"]
    assert (matrix.to_numpy() == matrix.to_numpy().T).all()
    # Every row of the published lists (the counts their sources state) and every law of
    # data/lists/state_laws.csv.
    published = ["cis_rows", "dhs_pdf_entries", "wapo_agency_rows"]
    published += [f"doj_{kind}_entries" for kind in ("city", "state", "county")]
    published += [f"ice2025_{kind}_rows" for kind in ("county", "municipality", "state_agency")]
    laws = pd.read_csv(paths.REPO_DIR / "data" / "lists" / "state_laws.csv")
    assert len(analysis.load_resolution()) == sum(counts[k] for k in published) + len(laws)


# --- the build -------------------------------------------------------------------------


def test_rebuilding_gives_the_same_tables(table, resolution):
    built = build_definitions(write=False)
    pd.testing.assert_frame_equal(
        built.definitions.reset_index(drop=True), table.reset_index(drop=True), check_dtype=False
    )
    assert len(built.resolution) == len(resolution)


def test_an_unresolved_county_row_stops_the_build(tmp_path):
    aliases = tmp_path / "aliases.csv"
    text = aliases_file().read_text()
    aliases.write_text(
        "\n".join(
            line for line in text.splitlines() if not line.startswith("ice-287g-2025,NC,Albemarle")
        )
        + "\n"
    )
    with pytest.raises(
        ValidationError,
        match=r"(?s)county-level row.*'Albemarle District Jail' "
        r"\(NC\): no county called 'Albemarle County'",
    ):
        build_definitions(aliases=aliases, write=False)


def test_the_build_needs_the_raw_files(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    with pytest.raises(AnalysisError, match=r"missing \(source file 'states-2015'\).*make data"):
        build_definitions(write=False)


def test_the_state_laws_show_with_their_dates_and_citations(capsys):
    """`definitions show state_laws --format csv`: each law's state, date, the note that
    cites it (`policy`) and its source address (`detail`)."""
    import io

    from analysis.cli import main

    assert main(["definitions", "show", "state_laws", "--format", "csv"]) == 0
    rows = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str).set_index("state")
    assert rows.loc["CA", "date"] == "2018-01" and "SB 54" in rows.loc["CA", "policy"]
    assert rows["detail"].str.startswith("http").all()
    laws = pd.read_csv(paths.REPO_DIR / "data" / "lists" / "state_laws.csv")
    assert len(rows) == len(laws)
