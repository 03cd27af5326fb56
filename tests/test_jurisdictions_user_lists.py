"""Unit tests of a list a user brings (`list = "..."` in data/definitions.toml): the
CSV reader, its errors, resolution with the aliases, the build's log and the
`definitions` command. Hand-made lists in the shapes of the three lists the docs
describe (OJJPAC 2017, ICE's Declined Detainer Outcome Reports, ILRC county data),
resolved with a gazetteer built from the hand-written Census samples."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from sample_gazetteer import sample_gazetteer

from analysis import cli
from analysis.core import paths
from analysis.core.errors import SourceFormatError, UnknownChoice
from analysis.jurisdictions import build, readers, tables, user_lists
from analysis.jurisdictions import definitions as defs
from analysis.jurisdictions.user_lists import UserListError
from analysis.names import gazetteer
from analysis.names.gazetteer import Gazetteer
from analysis.sources.buildlog import FileAccount

LISTS = Path(__file__).parent / "fixtures" / "user_lists"
SAMPLES = Path(__file__).parent / "fixtures" / "jurisdictions"
ALIASES = (
    "source,state,name,resolves_as,fips,comment\n"
    "*,NY,New York City,county_equivalent,36005 36047 36061 36081 36085,the five boroughs\n"
    "list:ddor2017,NY,Rikers Island,county,36005,"
    "New York City's jail on Rikers Island lies in the Bronx\n"
)
DEFINITIONS = """
[[definition]]
id = "ojjpac2017"
title = "OJJPAC list, 2017: listed counties and county-equivalents"
status = "sanctuary"
list = "lists/ojjpac.csv"
methods = ["exact", "alias", "county_equivalent"]
as_of = "2017"
caveats = "An advocacy group's list."

[[definition]]
id = "ojjpac2017_broad"
title = "OJJPAC list, 2017, broad"
status = "sanctuary"
sources = ["list:ojjpac2017"]
methods = ["exact", "alias", "county_equivalent", "containing_county", "state"]
as_of = "2017"
caveats = "As ojjpac2017, plus containing counties and states."

[[definition]]
id = "ddor2017"
title = "ICE Declined Detainer Outcome Reports, January-April 2017"
status = "sanctuary"
list = "lists/ddor.csv"
methods = ["exact", "alias", "county_equivalent"]
as_of = "January-April 2017"
caveats = "Detainers declined, not policies."
"""


def account(name: str = "list.csv") -> FileAccount:
    return FileAccount("list:test", name, "sha256-of-sample")


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return sample_gazetteer()


def read(gaz: Gazetteer, path: Path, acct: FileAccount | None = None) -> pd.DataFrame:
    return user_lists.read_user_list(
        path, acct or account(), gaz.state_abbr, "list:test", gaz.states["state_name"]
    )


def by_raw(frame: pd.DataFrame, raw: str) -> pd.Series:
    match = frame[frame["raw"] == raw]
    assert len(match) == 1, f"{raw!r}: {len(match)} rows"
    return match.iloc[0]


# --- reading ----------------------------------------------------------------------


def test_ojjpac_shape_guesses_kinds_and_flags_them(gaz):
    acct = account()
    frame = read(gaz, LISTS / "ojjpac_sample.csv", acct)
    assert list(frame.columns) == readers.ROW_COLUMNS
    assert set(frame["source"]) == {"list:test"}
    kinds = dict(zip(frame["raw"], frame["kind"]))
    assert kinds == {
        "Boston": "city",
        "Cambridge": "city",
        "Suffolk County": "county",
        "New York City": "city",
        "Baltimore": "city",
        "East Lansing": "city",
        "Orleans Parish": "county",
        "Michigan": "state",
        "Richmond city": "city",
        "Lawrence": "city",
    }
    assert all(flags == ["kind_guessed"] for flags in frame["flags"])
    assert any("kind guessed from the name for 10 row(s)" in n for n in acct.notes)
    assert (acct.rows_read, acct.rows_kept) == (10, 10)


def test_rows_are_csv_lines_and_blank_lines_are_not_rows(gaz):
    frame = read(gaz, LISTS / "ojjpac_sample.csv")
    assert by_raw(frame, "Baltimore")["row"] == 6
    assert by_raw(frame, "East Lansing")["row"] == 8  # line 7 is blank
    assert by_raw(frame, "Lawrence")["location"] == "line 12"


def test_states_by_name_or_code_and_enacted_into_date(gaz):
    frame = read(gaz, LISTS / "ojjpac_sample.csv")
    boston = by_raw(frame, "Boston")
    assert (boston["state"], boston["date"], boston["date_as_written"]) == ("MA", "2014", "2014")
    assert boston["policy"] == "Trust Act ordinance"
    assert boston["detail"] == "OJJPAC, Sanctuary Cities USA (2017)"
    assert pd.isna(by_raw(frame, "Suffolk County")["date"])
    ddor = read(gaz, LISTS / "ice_ddor_sample.csv")
    assert by_raw(ddor, "Kings County")[["state", "date"]].tolist() == ["NY", "2017-02"]


def test_a_county_agency_is_read_as_its_county(gaz):
    ddor = read(gaz, LISTS / "ice_ddor_sample.csv")
    sheriff = by_raw(ddor, "Suffolk County Sheriff's Office")
    assert (sheriff["name"], sheriff["kind"], sheriff["flags"]) == (
        "Suffolk County",
        "county",
        ["agency_name"],
    )
    assert by_raw(ddor, "Baltimore County Detention Center")["name"] == "Baltimore County"
    assert by_raw(ddor, "Rikers Island")["flags"] == []  # a site, not a county agency


@pytest.mark.parametrize(
    "name, state, kind",
    [
        ("Oregon", "OR", "state"),
        ("State of Oregon", "OR", "state"),
        ("Oregon", "WA", "city"),
        ("Kings County", "NY", "county"),
        ("Orleans Parish", "LA", "county"),
        ("North Slope Borough", "AK", "county"),
        ("Bethel Census Area", "AK", "county"),
        ("State College Borough", "PA", "city"),  # a Pennsylvania borough is a town
        ("Washoe County Sheriff's Office", "NV", "county"),
        ("Richmond city", "VA", "city"),  # the resolver finds the county-equivalent
        ("Kansas City", "MO", "city"),
    ],
)
def test_guess_kind(name, state, kind):
    lookup = {"oregon": "OR"}.get
    assert user_lists.guess_kind(name, state, lambda t: lookup(t.strip().lower())) == kind


# --- errors -------------------------------------------------------------------------


def broken(tmp_path: Path, text: str, name: str = "mylist.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "text, line, value, problem",
    [
        ("jurisdiction,kind\nKings County,county\n", 1, "jurisdiction,kind", "missing column"),
        ("jurisdiction,state\nKings County,Nwe York\n", 2, "Nwe York", "did you mean 'New York'"),
        ("jurisdiction,state,kind\nBoston,MA,town\n", 2, "town", "is not one of county, city"),
        ("jurisdiction,state,kind\nBoston,MA,state\n", 2, "Boston", "not the name of MA"),
        ("jurisdiction,state,enacted\nBoston,MA,2014-13\n", 2, "2014-13", "YYYY-MM"),
        ("jurisdiction,state,enacted\nBoston,MA,Jan-17\n", 2, "Jan-17", "YYYY-MM"),
        ("jurisdiction,state,enacted\nBoston,MA,2099\n", 2, "2099", "YYYY-MM"),
        ("jurisdiction,state,enacted\nBoston,MA,1/1/2017\n", 2, "1/1/2017", "YYYY-MM"),
        (
            "jurisdiction,state\nKings County,NY\n\nBoston,MA\nkings  county,New York\n",
            5,
            "kings  county",
            "repeats line 2",
        ),
        ("jurisdiction,state\nSuffolk County, New York,NY\n", 2, "Suffolk County", "3 fields"),
        ("jurisdiction,state\n,NY\n", 2, "", "jurisdiction is empty"),
        ("jurisdiction,jurisdiction,state\nA,B,NY\n", 1, "jurisdiction", "appear twice"),
    ],
)
def test_bad_input_names_the_file_the_line_and_the_value(gaz, tmp_path, text, line, value, problem):
    with pytest.raises(UserListError) as error:
        read(gaz, broken(tmp_path, text))
    message = str(error.value)
    assert message.startswith(f"{tmp_path / 'mylist.csv'}: line {line}: ")
    assert value in message and problem in message
    assert error.value.line == line
    assert len(message.splitlines()) >= 2  # and a second line: what to do


@pytest.mark.parametrize(
    "text, problem",
    [
        ("", "the file is empty"),
        ("jurisdiction,state\n", "no data rows"),
        ("jurisdiction,state\n,\n , \n", "no data rows"),
    ],
)
def test_an_empty_list_says_so(gaz, tmp_path, text, problem):
    with pytest.raises(UserListError, match=problem) as error:
        read(gaz, broken(tmp_path, text))
    assert "mylist.csv" in str(error.value)


def test_blank_rows_are_set_aside_with_their_lines(gaz, tmp_path):
    acct = account()
    frame = read(gaz, broken(tmp_path, "jurisdiction,state\nBoston,MA\n,\n"), acct)
    assert len(frame) == 1
    assert acct.dropped == [{"reason": "blank row (every cell empty)", "count": 1, "rows": ["3"]}]


def test_text_not_utf8_says_how_to_save_it(gaz, tmp_path):
    path = tmp_path / "mylist.csv"
    path.write_bytes("jurisdiction,state\nDoña Ana County,NM\n".encode("cp1252"))
    with pytest.raises(UserListError, match="CSV UTF-8"):
        read(gaz, path)


def test_columns_not_read_are_noted(gaz, tmp_path):
    acct = account()
    read(gaz, broken(tmp_path, "jurisdiction,state,population\nBoston,MA,650000\n"), acct)
    assert "column(s) not read: population" in acct.notes


# --- the definitions file ------------------------------------------------------------


def test_a_list_definition_gets_a_source_of_its_own(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    path = broken(tmp_path, DEFINITIONS, "definitions.toml")
    loaded = {d.id: d for d in defs.load_definitions(path)}
    assert loaded["ojjpac2017"].sources == ("list:ojjpac2017",)
    assert loaded["ojjpac2017"].list_path == tmp_path / "lists" / "ojjpac.csv"
    assert loaded["ojjpac2017_broad"].sources == ("list:ojjpac2017",)
    assert loaded["ojjpac2017_broad"].list_path is None
    absolute = DEFINITIONS.replace('"lists/ddor.csv"', f'"{LISTS / "ice_ddor_sample.csv"}"')
    loaded = {d.id: d for d in defs.load_definitions(broken(tmp_path, absolute, "d.toml"))}
    assert loaded["ddor2017"].list_path == LISTS / "ice_ddor_sample.csv"


@pytest.mark.parametrize(
    "old, new, message",
    [
        ('list = "lists/ddor.csv"', 'list = "lists/ddor.csv"\nsources = ["doj-list-2025"]', "both"),
        ('list = "lists/ddor.csv"\n', "", "neither"),
        ('list = "lists/ddor.csv"', "list = 3", "path of a CSV file"),
        ('sources = ["list:ojjpac2017"]', 'sources = ["list:nope"]', "unknown source 'list:nope'"),
        ('as_of = "January-April 2017"', 'as_of = "2017"\nyear = 2017', "has no years"),
    ],
)
def test_list_and_sources_are_one_or_the_other(tmp_path, old, new, message):
    assert old in DEFINITIONS
    path = broken(tmp_path, DEFINITIONS.replace(old, new), "definitions.toml")
    with pytest.raises(SourceFormatError, match=message) as error:
        defs.load_definitions(path)
    assert "definitions.toml" in str(error.value)
    if message in ("both", "neither"):
        assert "'ddor2017': give exactly one of `sources`" in str(error.value)


# --- the build, on the hand-written samples -----------------------------------------


@pytest.fixture()
def project(tmp_path, monkeypatch, gaz):
    """A scratch project whose definitions are the three lists above, built with the
    sample gazetteer and no published list."""
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    (tmp_path / "lists").mkdir()
    shutil.copyfile(LISTS / "ojjpac_sample.csv", tmp_path / "lists" / "ojjpac.csv")
    shutil.copyfile(LISTS / "ice_ddor_sample.csv", tmp_path / "lists" / "ddor.csv")
    definitions = broken(tmp_path, DEFINITIONS, "definitions.toml")
    aliases = broken(tmp_path, ALIASES, "aliases.csv")
    monkeypatch.setattr(gazetteer, "load", lambda log: gaz)
    monkeypatch.setattr(build, "LISTS", {})
    monkeypatch.setattr(paths, "definitions_file", lambda: definitions)

    def run(**kwargs) -> build.Built:
        return build.build_definitions(definitions=definitions, aliases=aliases, **kwargs)

    return run


def marked(table: pd.DataFrame, definition: str) -> set[str]:
    part = table[table["definition"] == definition]
    return set(part.loc[part["status"] != "other", "fips"])


def test_a_good_list_resolves_county_city_and_state_rows(project):
    built = project()
    rows = built.resolution.set_index("raw")
    assert rows.loc["Suffolk County", ["method", "fips"]].tolist() == ["exact", ["25025"]]
    assert rows.loc["Richmond city", "method"] == "county_equivalent"
    assert rows.loc["Baltimore", "fips"] == ["24510"]
    assert rows.loc["East Lansing", ["method", "fips"]].tolist() == [
        "containing_county",
        ["26037", "26065"],
    ]
    assert rows.loc["Michigan", "method"] == "state"
    assert rows.loc["Suffolk County Sheriff's Office", "county_names"] == ["Suffolk County"]
    assert marked(built.definitions, "ojjpac2017") == {
        "25025",
        "36005",
        "36047",
        "36061",
        "36081",
        "36085",
        "24510",
        "22071",
        "51760",
    }
    broad = marked(built.definitions, "ojjpac2017_broad")
    assert broad - marked(built.definitions, "ojjpac2017") == {"25017", "26037", "26065", "20045"}


def test_aliases_naming_the_list_and_star_aliases_apply(project):
    rows = project().resolution.set_index("raw")
    rikers = rows.loc["Rikers Island"]
    assert (rikers["source"], rikers["method"], rikers["fips"]) == (
        "list:ddor2017",
        "alias",
        ["36005"],
    )
    assert rikers["alias_line"] == 3
    nyc = rows.loc["New York City"]
    assert (nyc["method"], nyc["alias_line"], len(nyc["fips"])) == ("county_equivalent", 2, 5)


def test_the_log_records_each_list_with_its_sha256(project, tmp_path):
    project()
    log = json.loads(tables.log_path().read_text())
    entry = {e["definition"]: e for e in log["user_lists"]}["ojjpac2017"]
    expected = hashlib.sha256((tmp_path / "lists" / "ojjpac.csv").read_bytes()).hexdigest()
    assert (entry["path"], entry["sha256"], entry["rows"]) == ("lists/ojjpac.csv", expected, 10)
    assert entry["kind_guessed"] == 10
    assert entry["by_method"] == {
        "exact": 2,  # Suffolk County, Orleans Parish
        "county_equivalent": 3,  # New York City (alias), Baltimore, Richmond city
        "containing_county": 4,  # Boston, Cambridge, East Lansing, Lawrence
        "state": 1,  # Michigan
    }
    account = {f["file_id"]: f for f in log["files"]}["list:ddor2017"]
    assert account["rows_read"] == account["rows_kept"] == 6
    assert log["definitions"]["ddor2017"] == {"sanctuary": 6}


def test_editing_the_list_changes_its_sha256(project, tmp_path):
    project()
    before = json.loads(tables.log_path().read_text())["user_lists"][0]["sha256"]
    with open(tmp_path / "lists" / "ojjpac.csv", "a") as fh:
        fh.write("Cambridge city,MA,,,\n")
    built = project()
    after = json.loads(tables.log_path().read_text())["user_lists"][0]["sha256"]
    assert before != after and "Cambridge city" in set(built.resolution["raw"])


def test_an_unresolved_county_row_stops_the_build_with_the_closest_names(project, tmp_path):
    with open(tmp_path / "lists" / "ddor.csv", "a") as fh:
        fh.write("Kingz County,NY,county,2017-04,ICE DDOR,\n")
    with pytest.raises(UserListError) as error:
        project()
    message = str(error.value)
    assert message.startswith("lists/ddor.csv: 1 county row(s) name no county")
    assert "line 8: 'Kingz County' (county, NY)" in message
    assert "Closest Census names in NY: 'Kings County' (county 36047)" in message
    assert "source list:ddor2017" in message  # what to put in data/aliases.csv
    assert error.value.line == 8


def test_an_unresolved_city_row_is_a_warning_with_the_closest_names(project, tmp_path):
    with open(tmp_path / "lists" / "ojjpac.csv", "a") as fh:
        fh.write("Bostn,Massachusetts,2014,,\n")
    built = project()
    (warning,) = [w for w in built.warnings if "Bostn" in w]
    assert warning.startswith("lists/ojjpac.csv line 13: 'Bostn' (city, MA) is unresolved")
    assert "'Boston city' (in Suffolk County)" in warning
    log = json.loads(tables.log_path().read_text())
    (row,) = {e["definition"]: e for e in log["user_lists"]}["ojjpac2017"]["unresolved"]
    assert (row["row"], row["closest"][0]) == (13, "'Boston city' (in Suffolk County)")


def test_a_missing_list_says_where_it_was_looked_for(project, tmp_path):
    (tmp_path / "lists" / "ddor.csv").unlink()
    with pytest.raises(UserListError) as error:
        project()
    message = str(error.value)
    assert "definition 'ddor2017'" in message
    assert f"looked for at {tmp_path / 'lists' / 'ddor.csv'}" in message
    assert f"project root ({tmp_path})" in message


def test_an_alias_line_for_a_list_no_definition_registers_is_refused(project, tmp_path):
    (tmp_path / "aliases.csv").write_text(ALIASES + "list:ilrc,NY,Kings,county,36047,why\n")
    with pytest.raises(SourceFormatError, match="unknown source 'list:ilrc'"):
        project()


# --- the command line ------------------------------------------------------------------


def run_cli(capsys, *args: str) -> str:
    assert cli.main(list(args)) == 0
    return capsys.readouterr().out


def test_definitions_lists_ids_status_and_counties(project, capsys):
    project()
    out = run_cli(capsys, "definitions")
    header, *lines = out.splitlines()
    assert header.split()[:4] == ["id", "status", "counties", "as_of"]
    assert [line.split()[:3] for line in lines] == [
        ["ojjpac2017", "sanctuary", "9"],
        ["ojjpac2017_broad", "sanctuary", "13"],
        ["ddor2017", "sanctuary", "6"],
    ]
    listed = json.loads(run_cli(capsys, "definitions", "--format", "json"))
    assert listed[0]["list"] == "lists/ojjpac.csv" and listed[1]["list"] is None


def test_show_prints_every_row_and_why(project, capsys):
    project()
    out = run_cli(capsys, "definitions", "show", "ojjpac2017", "--format", "csv")
    rows = pd.read_csv(io.StringIO(out), dtype=str, keep_default_na=False)
    assert list(rows["row"]) == ["2", "3", "4", "5", "6", "8", "9", "10", "11", "12"]
    boston = rows.set_index("raw").loc["Boston"]
    assert (boston["counts"], boston["reason"]) == (
        "False",
        "not counted: containing_county rows do not count in ojjpac2017",
    )
    nyc = rows.set_index("raw").loc["New York City"]
    assert nyc["fips"] == "36005 36047 36061 36081 36085"
    assert nyc["county_names"].startswith("Bronx County; Kings County")
    assert nyc["reason"].startswith("counts: aliases.csv line 2: the five boroughs")
    shown = json.loads(run_cli(capsys, "definitions", "show", "ddor2017", "--format", "json"))
    suffolk = shown[0]
    assert (suffolk["row"], suffolk["name"], suffolk["fips"], suffolk["counts"]) == (
        2,
        "Suffolk County",
        ["36103"],
        True,
    )
    assert suffolk["reason"] == "counts: county 'Suffolk County'"
    before = run_cli(capsys, "definitions", "--format", "csv", "show", "ddor2017")
    assert before.startswith("source,row,raw,name,state,kind,date,method,fips,county_names")
    table = run_cli(capsys, "definitions", "show", "ojjpac2017_broad")
    assert "list:ojjpac2017: 10 rows, 10 count, 0 do not count, 0 unresolved" in table
    assert "every county of MI (2)" in table


def test_show_an_unknown_definition_lists_the_valid_ones(project, capsys):
    project()
    assert cli.main(["definitions", "show", "ojjpac2016"]) == 2
    error = capsys.readouterr().err
    assert "unknown definition 'ojjpac2016'" in error and "ddor2017, ojjpac2017" in error
    args = cli.parser().parse_args(["definitions", "show", "ddor2017", "--format", "xml"])
    with pytest.raises(UnknownChoice, match="unknown format 'xml'; valid formats: csv, json"):
        args.run(args)


# --- accepted wherever a published definition is ------------------------------------------


def test_reports_and_citations_accept_a_user_definition(project):
    from analysis.publish import citations, parameters

    assert "ddor2017" in parameters._valid_values()["definition"]()
    # The list itself is not in the registry: a page cites the Census names that resolved it.
    census = ["census-county-codes", "census-places", "place-index-2020"]
    assert citations.sources_for(["ddor2017"]) == census
    assert citations.sources_for(["ojjpac2017_broad"]) == census


def test_a_cooperating_user_definition_is_a_comparison_group(tmp_path, monkeypatch):
    text = DEFINITIONS.replace(
        'id = "ddor2017"\ntitle = "ICE Declined Detainer Outcome Reports, January-April 2017"\n'
        'status = "sanctuary"',
        'id = "agreements2017"\ntitle = "t"\nstatus = "cooperating"',
    )
    assert "agreements2017" in text
    path = broken(tmp_path, text, "definitions.toml")
    monkeypatch.setattr(paths, "definitions_file", lambda: path)
    from analysis.publish import parameters

    assert parameters._valid_values()["comparison"]() == ["all", "cooperating", "agreements2017"]


def test_make_rebuilds_the_definitions_when_a_registered_list_changes(tmp_path):
    import scratch

    root = scratch.project(tmp_path / "project")
    (root / "data" / "definitions.toml").unlink()  # the scratch copy's own, not a symlink
    (root / "data" / "definitions.toml").write_text(DEFINITIONS)
    (root / "lists").mkdir()
    (root / "lists" / "ojjpac.csv").write_text("jurisdiction,state\nBoston,MA\n")
    # The missing ddor.csv is left out: the build, not Make, says where it looked.
    out = scratch.make(root, "-s", "print-USER_LISTS").stdout.split()
    assert out == ["lists/ojjpac.csv"]
    database = scratch.make(root, "-pn", "print-USER_LISTS").stdout.splitlines()
    for product in ("definitions.parquet", "jurisdictions.parquet"):
        (rule,) = [line for line in database if line.startswith(f"data/processed/{product}:")]
        assert "lists/ojjpac.csv" in rule.split()


def test_a_spreadsheets_empty_trailing_columns_are_no_problem(gaz, tmp_path):
    acct = account()
    frame = read(gaz, broken(tmp_path, "jurisdiction,state,,\nBoston,MA,,\n,,,\n"), acct)
    assert list(frame["raw"]) == ["Boston"]
    assert not [n for n in acct.notes if "not read" in n]
    assert acct.dropped[0]["rows"] == ["3"]
    named = account()
    read(gaz, broken(tmp_path, "jurisdiction,state,\nBoston,MA,ward 4\n"), named)
    assert "column(s) not read: unnamed column 3" in named.notes
