"""Unit tests of the list readers on hand-written samples in each list's real format."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.core.errors import BadValue, SourceFormatError
from analysis.jurisdictions import readers
from analysis.jurisdictions.readers import PdfLine
from analysis.sources.buildlog import FileAccount

SAMPLES = Path(__file__).parent / "fixtures" / "jurisdictions"
STATES = {
    "Alabama": "AL",
    "Alaska": "AK",
    "Arizona": "AZ",
    "California": "CA",
    "Colorado": "CO",
    "Connecticut": "CT",
    "District of Columbia": "DC",
    "Florida": "FL",
    "Georgia": "GA",
    "Iowa": "IA",
    "Kansas": "KS",
    "Massachusetts": "MA",
    "Maryland": "MD",
    "Michigan": "MI",
    "Minnesota": "MN",
    "New York": "NY",
    "Rhode Island": "RI",
    "Virginia": "VA",
    "Washington": "WA",
}


def state_abbr(text: str) -> str | None:
    """The gazetteer's lookup, over the states the samples use."""
    text = text.strip()
    by_name = {k.lower(): v for k, v in STATES.items()}
    return by_name.get(text.lower()) or (text.upper() if text.upper() in STATES.values() else None)


def account(name: str) -> FileAccount:
    return FileAccount(name, f"tests/fixtures/jurisdictions/{name}", "sha256-of-sample")


def by_raw(frame: pd.DataFrame, raw: str) -> pd.Series:
    match = frame[frame["raw"] == raw]
    assert len(match) == 1, f"{raw!r} should be one row, found {len(match)}"
    return match.iloc[0]


# --- 2014 ICE detainer table (CIS) ---------------------------------------------


@pytest.fixture()
def cis():
    acct = account("cis_sample.csv")
    return readers.read_cis_2014(SAMPLES / "cis_sample.csv", acct, state_abbr), acct


def test_cis_rows_keep_their_line_numbers_and_every_row_is_accounted(cis):
    frame, acct = cis
    assert list(frame["row"]) == list(range(2, 10))
    assert acct.rows_read == acct.rows_kept == 8
    assert list(frame.columns) == readers.ROW_COLUMNS


def test_cis_reads_a_county_row(cis):
    row = by_raw(cis[0], "Suffolk County, New York")
    assert (row["name"], row["state"], row["kind"], row["date"]) == (
        "Suffolk County",
        "NY",
        "county",
        "2014-09",
    )
    assert row["flags"] == []


def test_cis_reads_lowa_as_iowa_and_flags_it(cis):
    row = by_raw(cis[0], "Cass County, lowa")
    assert (row["name"], row["state"]) == ("Cass County", "IA")
    assert "state_misspelt" in row["flags"]


def test_cis_reads_a_period_for_the_comma(cis):
    row = by_raw(cis[0], "East Haven. Connecticut")
    assert (row["name"], row["state"], row["kind"]) == ("East Haven", "CT", "city")
    assert "period_for_comma" in row["flags"]


def test_cis_repairs_excel_dates_and_strips_a_zip_code(cis):
    frame = cis[0]
    boston = by_raw(frame, "Boston, Massachusetts")
    assert (boston["date"], boston["date_as_written"]) == ("2014-08", "2015-08-14")
    assert "date_excel_mangled" in boston["flags"]
    franklin = by_raw(frame, "Franklin County, Washington 99301")
    assert (franklin["state"], franklin["date"]) == ("WA", "2014-05")
    assert {"zip_code_removed", "date_excel_mangled"} <= set(franklin["flags"])


def test_cis_kinds_statewide_state_and_city(cis):
    frame = cis[0]
    assert by_raw(frame, "Colorado County Jails, Colorado")["kind"] == "statewide"
    assert by_raw(frame, "Colorado County Jails, Colorado")["state"] == "CO"
    assert by_raw(frame, "Rhode Island")[["kind", "state"]].tolist() == ["state", "RI"]
    assert by_raw(frame, "Washington, DC")[["kind", "name", "state"]].tolist() == [
        "city",
        "Washington",
        "DC",
    ]


def test_cis_unknown_state_names_the_line(tmp_path):
    path = tmp_path / "cis.csv"
    text = (SAMPLES / "cis_sample.csv").read_text()
    path.write_text(text.replace("Suffolk County, New York", "Suffolk County, Nwe York"))
    with pytest.raises(SourceFormatError, match=r"line 3: 'Nwe York' is not a US state"):
        readers.read_cis_2014(path, account("cis.csv"), state_abbr)


def test_cis_unreadable_date_names_the_column_and_line(tmp_path):
    path = tmp_path / "cis.csv"
    path.write_text(
        (SAMPLES / "cis_sample.csv").read_text().replace('New York",Sep-14', 'New York",Sept. 2014')
    )
    with pytest.raises(BadValue, match=r"Date Enacted.*row 3: 'Sept. 2014'"):
        readers.read_cis_2014(path, account("cis.csv"), state_abbr)


# --- DOJ 2025 -----------------------------------------------------------------


def test_doj_reads_kinds_and_flags_dc_as_a_state():
    acct = account("doj_sample.csv")
    frame = readers.read_doj_2025(SAMPLES / "doj_sample.csv", acct, state_abbr)
    assert acct.rows_kept == 5
    assert list(frame["kind"]) == ["state", "state", "county", "city", "city"]
    dc = by_raw(frame, "District of Columbia")
    assert dc["flags"] == ["dc_listed_as_state"]
    assert set(frame["date"]) == {"2025-08-05"}


# --- DHS 2025 (PDF text layout) ---------------------------------------------------


def layout(path: Path = SAMPLES / "dhs_layout.tsv") -> list[PdfLine]:
    table = pd.read_csv(path, sep="\t", dtype={"text": str})
    return [
        PdfLine(
            int(r.page),
            float(r.top),
            float(r.bottom),
            float(r.page_height),
            r.font,
            float(r.size),
            r.text,
        )
        for r in table.itertuples()
    ]


SAMPLE_COUNTS = {
    "Kansas": (0, 1, 1),
    "District of Columbia": (0, 0, 1),
    "Minnesota": (0, 2, 0),
    "New York": (1, 2, 1),
}


def test_dhs_layout_gives_every_entry_with_its_state_and_heading():
    frame, notes = readers.parse_dhs_lines(layout(), Path("dhs.pdf"), state_abbr, SAMPLE_COUNTS)
    assert len(frame) == 9
    assert list(frame["row"]) == list(range(1, 10))
    assert by_raw(frame, "Suffolk County")[["state", "kind", "listed_as"]].tolist() == [
        "NY",
        "county",
        "Counties",
    ]
    assert by_raw(frame, "New York City")[["state", "kind"]].tolist() == ["NY", "city"]


def test_dhs_keeps_its_misplaced_entries_and_flags_them():
    frame, _ = readers.parse_dhs_lines(layout(), Path("dhs.pdf"), state_abbr, SAMPLE_COUNTS)
    douglas = by_raw(frame, "Douglas County")
    assert (douglas["listed_as"], douglas["kind"]) == ("Cities", "county")
    assert douglas["flags"] == ["dhs_listed_under_cities"]
    lawrence = by_raw(frame, "Lawrence")
    assert (lawrence["listed_as"], lawrence["kind"]) == ("County", "county")
    assert lawrence["flags"] == ["listed_under_counties_without_county_word"]


def test_dhs_descriptions_name_their_heading_jurisdiction():
    frame, _ = readers.parse_dhs_lines(layout(), Path("dhs.pdf"), state_abbr, SAMPLE_COUNTS)
    new_york = frame[(frame["state"] == "NY") & (frame["kind"] == "state")].iloc[0]
    assert (new_york["name"], new_york["policy"]) == (
        "New York",
        "Self-Identification as a State Sanctuary Jurisdiction",
    )
    dc = frame[frame["state"] == "DC"].iloc[0]
    assert (dc["name"], dc["kind"]) == ("District of Columbia", "city")
    assert "description_not_name" in dc["flags"]


def test_dhs_reads_a_line_cut_by_the_page_break_once():
    frame, notes = readers.parse_dhs_lines(layout(), Path("dhs.pdf"), state_abbr, SAMPLE_COUNTS)
    assert (frame["raw"] == "Nicollet County").sum() == 1
    assert any("Nicollet County" in n and "straddles" in n for n in notes)


def test_dhs_fails_loudly_when_a_state_has_fewer_entries_than_the_page():
    lines = [line for line in layout() if line.text != "Ulster County"]
    with pytest.raises(
        SourceFormatError, match=r"New York: read \(1, 1, 1\), the page shows \(1, 2, 1\)"
    ):
        readers.parse_dhs_lines(lines, Path("dhs.pdf"), state_abbr, SAMPLE_COUNTS)


def test_dhs_fails_loudly_on_an_unknown_font():
    lines = [
        PdfLine(ln.page, ln.top, ln.bottom, ln.page_height, "Arial", ln.size, ln.text)
        if ln.text == "Suffolk County"
        else ln
        for ln in layout()
    ]
    with pytest.raises(SourceFormatError, match=r"'Suffolk County' in font Arial 16.0"):
        readers.parse_dhs_lines(lines, Path("dhs.pdf"), state_abbr, SAMPLE_COUNTS)


def test_dhs_fails_when_the_list_heading_is_missing():
    lines = [line for line in layout() if line.text != "Sanctuary Jurisdiction List"]
    with pytest.raises(SourceFormatError, match="Sanctuary Jurisdiction List"):
        readers.parse_dhs_lines(lines, Path("dhs.pdf"), state_abbr, SAMPLE_COUNTS)


def test_dhs_rejects_a_state_heading_that_is_not_a_state():
    lines = [
        PdfLine(ln.page, ln.top, ln.bottom, ln.page_height, ln.font, ln.size, "Kansass")
        if ln.text == "Kansas"
        else ln
        for ln in layout()
    ]
    with pytest.raises(SourceFormatError, match="'Kansass' is set as a state heading"):
        readers.parse_dhs_lines(lines, Path("dhs.pdf"), state_abbr, SAMPLE_COUNTS)


def test_dhs_published_counts_add_up_to_the_lists_totals():
    counts = readers.DHS_2025_COUNTS
    assert sum(c[0] for c in counts.values()) == 14
    assert sum(c[1] for c in counts.values()) == 391
    assert sum(c[2] for c in counts.values()) == 200  # 198 cities, DC's line, Douglas County


# --- Washington Post 287(g) ------------------------------------------------------


@pytest.fixture()
def wapo():
    sheet = pd.read_csv(SAMPLES / "wapo_sample.csv", dtype=str)
    acct = account("wapo_sample.csv")
    return readers.tidy_wapo_287g(sheet, SAMPLES / "wapo_sample.csv", acct, state_abbr), acct


def test_wapo_sets_aside_the_blank_row_and_section_heading_with_reasons(wapo):
    frame, acct = wapo
    assert acct.rows_read == 9 and acct.rows_kept == 7
    reasons = {d["reason"]: d["rows"] for d in acct.dropped}
    assert reasons == {"blank row": ["7"], "section heading 'COUNTIES THAT ENDED 287(g)'": ["8"]}


def test_wapo_years_fips_and_sections(wapo):
    frame, _ = wapo
    etowah = by_raw(frame, "Etowah County Sheriff's Office")
    assert (etowah["name"], etowah["state"], etowah["source_fips"]) == (
        "Etowah County",
        "AL",
        "01055",
    )
    assert list(etowah["years_active"]) == list(range(2008, 2020))
    collier = by_raw(frame, "Collier County Sheriff's Office")
    assert collier["source_fips"] == "12023"  # the sheet's code, checked against the name later
    assert etowah["listed_as"] == "agencies"
    assert by_raw(frame, "Manassas Police Department")["listed_as"] == "agreements ended"


def test_wapo_blank_state_continues_the_row_above_and_is_flagged(wapo):
    frame, _ = wapo
    manassas = by_raw(frame, "Manassas Police Department")
    assert manassas["state"] == "VA"
    assert manassas["flags"] == ["state_from_row_above"]
    assert list(manassas["years_active"]) == [2008, 2009, 2010, 2011, 2012]


def test_wapo_agency_kinds(wapo):
    frame, _ = wapo
    kinds = dict(zip(frame["raw"], zip(frame["kind"], frame["name"])))
    assert kinds["Mesa Police Department"] == ("city", "Mesa")
    assert kinds["Arizona Department of Corrections"] == ("state", "ARIZONA")
    assert kinds["Prince William-Manassas Regional Adult Detention Center"][0] == "county"
    assert list(by_raw(frame, "Kodiak Police Department")["years_active"]) == []


def test_wapo_rejects_a_year_flag_it_cannot_read():
    sheet = pd.read_csv(SAMPLES / "wapo_sample.csv", dtype=str)
    sheet.loc[0, "y2015"] = "maybe"
    with pytest.raises(BadValue, match=r"'y2015'.*row 2: 'maybe'"):
        readers.tidy_wapo_287g(sheet, SAMPLES / "wapo_sample.csv", account("w"), state_abbr)


# --- ICE 287(g), May 2025 ---------------------------------------------------------


@pytest.fixture()
def ice():
    sheet = pd.read_csv(SAMPLES / "ice_sample.csv", dtype=str)
    acct = account("ice_sample.csv")
    return readers.tidy_ice_287g(sheet, SAMPLES / "ice_sample.csv", acct, state_abbr), acct


def test_ice_kinds_and_names(ice):
    frame, acct = ice
    assert acct.rows_kept == 6
    kinds = dict(zip(frame["raw"], zip(frame["kind"], frame["name"])))
    assert kinds["Colbert County Sheriff's Office"] == ("county", "Colbert County")
    assert kinds["City of Miami Springs Police Department"] == ("city", "Miami Springs")
    assert kinds["Florida Department of Corrections"] == ("state", "Florida")
    assert kinds["Decatur County Sheriff's Office"] == ("county", "Decatur")


def test_ice_repairs_a_date_missing_its_slash_and_flags_a_blank_county(ice):
    frame, _ = ice
    campbell = by_raw(frame, "Campbell County Sheriff's Office")
    assert (campbell["date"], campbell["flags"]) == ("2025-05-08", ["date_slash_missing"])
    okeechobee = by_raw(frame, "Okeechobee Police Department")
    assert okeechobee["kind"] == "county" and "county_column_blank" in okeechobee["flags"]


def test_ice_rejects_an_unknown_agency_type():
    sheet = pd.read_csv(SAMPLES / "ice_sample.csv", dtype=str)
    sheet.loc[2, "TYPE"] = "Tribal"
    with pytest.raises(BadValue, match=r"'TYPE'.*row 4: 'Tribal'"):
        readers.tidy_ice_287g(sheet, SAMPLES / "ice_sample.csv", account("i"), state_abbr)


@pytest.mark.parametrize(
    "agency, expected",
    [
        ("Etowah County Sheriff's Office", ("county", "Etowah County")),
        ("Duplin COunty sherrifs Office", ("county", "Duplin COunty")),
        ("East Baton Rouge Parish Sheriff’s Office", ("county", "East Baton Rouge Parish")),
        ("Fond du Lac Sheriff's Office", ("county", "Fond du Lac")),
        ("Rhode Island State Police", ("state", "Rhode Island")),
        ("Delware Department of Corrections", ("state", "Delaware")),
        ("Department of Corrections", ("state", "Alaska")),
        ("City of Springdale Police Dpt.", ("city", "Springdale")),
        ("Indian River Shores Department of Public Safety", ("city", "Indian River Shores")),
    ],
)
def test_agency_names_say_what_they_serve(agency, expected):
    state = next((s for s in ("Rhode Island", "Delaware", "Alaska") if s in expected), "Florida")
    assert readers.agency_kind_and_name(agency, state) == expected
