"""Unit tests of definitions: the definitions file, classification of counties,
and the library calls on a small table built from hand-made resolved rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.core import paths
from analysis.core.atomic import write_parquet
from analysis.core.errors import AnalysisError, SourceFormatError, UnknownChoice, ValidationError
from analysis.jurisdictions import definitions as defs
from analysis.jurisdictions import tables
from analysis.sources.buildlog import BuildLog

SOURCES = {
    "cis-sanctuary-map": False,
    "dhs-list-2025": False,
    "doj-list-2025": False,
    "wapo-287g-2019": True,
    "ice-287g-2025": False,
}
UNIVERSE = pd.Index(["06037", "06075", "36005", "36061", "36103", "48201"], name="fips")
STRICT = ["exact", "alias", "county_equivalent"]


def resolved() -> pd.DataFrame:
    """Rows as the resolver leaves them (only the columns classification reads)."""
    rows = [
        (
            "cis-sanctuary-map",
            "line 3",
            "Suffolk County, New York",
            "county",
            "exact",
            ["36103"],
            None,
        ),
        (
            "cis-sanctuary-map",
            "line 9",
            "New York City, New York",
            "city",
            "county_equivalent",
            ["36005", "36061"],
            None,
        ),
        (
            "cis-sanctuary-map",
            "line 40",
            "Los Angeles, California",
            "city",
            "containing_county",
            ["06037"],
            None,
        ),
        (
            "cis-sanctuary-map",
            "line 41",
            "Los Angeles County, California",
            "county",
            "exact",
            ["06037"],
            None,
        ),
        ("cis-sanctuary-map", "line 50", "Atlantis, New York", "city", "unresolved", [], None),
        ("doj-list-2025", "line 2", "California", "state", "state", ["06037", "06075"], None),
        ("doj-list-2025", "line 20", "San Francisco", "city", "county_equivalent", ["06075"], None),
        (
            "wapo-287g-2019",
            "row 5",
            "Harris County Sheriff's Office",
            "county",
            "exact",
            ["48201"],
            [2008, 2009, 2010, 2011, 2012],
        ),
        (
            "wapo-287g-2019",
            "row 6",
            "Suffolk County Sheriff's Office",
            "county",
            "exact",
            ["36103"],
            [2014, 2015],
        ),
    ]
    return pd.DataFrame(
        rows, columns=["source", "location", "raw", "kind", "method", "fips", "years_active"]
    )


def definition(**fields) -> defs.Definition:
    base = dict(
        id="d",
        title="t",
        status="sanctuary",
        sources=("cis-sanctuary-map",),
        methods=tuple(STRICT),
        as_of="2014",
        caveats="c",
    )
    return defs.Definition(**{**base, **fields})


def table_for(*definitions: defs.Definition) -> pd.DataFrame:
    return defs.classify(resolved(), list(definitions), UNIVERSE)


def status(table: pd.DataFrame, definition_id: str) -> dict[str, str]:
    part = table[table["definition"] == definition_id]
    return dict(zip(part["fips"], part["status"]))


# --- classification --------------------------------------------------------------


def test_every_county_once_per_definition():
    table = table_for(definition(id="a"), definition(id="b", methods=("state",)))
    assert len(table) == 2 * len(UNIVERSE)
    assert not table.duplicated(["definition", "fips"]).any()
    defs.check_table(table, [definition(id="a"), definition(id="b")], UNIVERSE)


def test_strict_counts_counties_and_county_equivalents_not_containing_counties():
    table = table_for(definition(id="ice"))
    assert status(table, "ice") == {
        "06037": "sanctuary",
        "06075": "other",
        "36005": "sanctuary",
        "36061": "sanctuary",
        "36103": "sanctuary",
        "48201": "other",
    }


def test_reasons_name_the_rows_behind_each_status():
    table = table_for(definition(id="ice", sources=("cis-sanctuary-map",)))
    reason = dict(zip(table["fips"], table["reason"]))
    assert reason["36103"] == "listed: cis-sanctuary-map line 3 'Suffolk County, New York' (exact)"
    assert "line 41 'Los Angeles County, California' (exact)" in reason["06037"]
    assert reason["48201"] == "no row of cis-sanctuary-map names this county"


def test_a_county_only_touched_by_an_uncounted_row_says_why():
    table = table_for(definition(id="doj", sources=("doj-list-2025",)))
    reason = dict(zip(table["fips"], table["reason"]))
    assert status(table, "doj")["06037"] == "other"
    assert reason["06037"] == (
        "not counted: doj-list-2025 line 2 'California' (state): state rows do not count in doj"
    )
    assert status(table, "doj")["06075"] == "sanctuary"


def test_broad_adds_containing_counties_and_states():
    broad = definition(id="broad", sources=("doj-list-2025",), methods=(*STRICT, "state"))
    assert status(table_for(broad), "broad")["06037"] == "sanctuary"


def test_a_yearly_list_counts_only_agreements_active_that_year():
    g287 = definition(id="g", status="cooperating", sources=("wapo-287g-2019",), year=2015)
    table = table_for(g287)
    assert status(table, "g") == {**{f: "other" for f in UNIVERSE}, "36103": "cooperating"}
    reason = dict(zip(table["fips"], table["reason"]))
    assert reason["48201"].endswith("not active in 2015 (active 2008-2012)")
    earlier = table_for(
        definition(id="g", status="cooperating", sources=("wapo-287g-2019",), year=2010)
    )
    assert status(earlier, "g")["48201"] == "cooperating"


def test_kinds_restrict_which_rows_count():
    only_cities = definition(id="c", kinds=("city",))
    marked = {f for f, s in status(table_for(only_cities), "c").items() if s != "other"}
    assert marked == {"36005", "36061"}


def test_check_table_catches_a_county_listed_twice():
    table = table_for(definition(id="a"))
    with pytest.raises(ValidationError, match="a county appears twice"):
        defs.check_table(pd.concat([table, table.iloc[:1]]), [definition(id="a")], UNIVERSE)


# --- the definitions file ----------------------------------------------------------------


GOOD = """
[[definition]]
id = "x"
title = "t"
status = "sanctuary"
sources = ["dhs-list-2025"]
methods = ["exact"]
as_of = "2025"
caveats = "c"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "definitions.toml"
    path.write_text(text)
    return path


def test_a_definition_is_a_few_lines_of_toml(tmp_path):
    (loaded,) = defs.load_definitions(write(tmp_path, GOOD), SOURCES)
    assert (loaded.id, loaded.sources, loaded.methods, loaded.year) == (
        "x",
        ("dhs-list-2025",),
        ("exact",),
        None,
    )


@pytest.mark.parametrize(
    "change, message",
    [
        (('methods = ["exact"]', 'methods = ["fuzzy"]'), "unknown method 'fuzzy'"),
        (('sources = ["dhs-list-2025"]', 'sources = ["dhs-2025"]'), "unknown source 'dhs-2025'"),
        (('status = "sanctuary"', 'status = "excluded"'), "status 'excluded'"),
        (('sources = ["dhs-list-2025"]', 'sources = ["wapo-287g-2019"]'), "give `year = YYYY`"),
        (('as_of = "2025"', 'as_of = "2025"\nyear = 2015'), "has no years"),
        (('as_of = "2025"', 'as_of = "2025"\ncolour = "red"'), "unknown field"),
        (('id = "x"', 'id = "X-1"'), "id must be"),
        (('caveats = "c"', ""), "missing field"),
        (('sources = ["dhs-list-2025"]', 'sources = "dhs-list-2025"'), "non-empty list"),
    ],
)
def test_definition_errors_name_the_definition_and_field(tmp_path, change, message):
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(SourceFormatError, match=message) as error:
        defs.load_definitions(path, SOURCES)
    assert "definitions.toml" in str(error.value)


def test_duplicate_ids_are_refused(tmp_path):
    with pytest.raises(SourceFormatError, match="'x': the id is used twice"):
        defs.load_definitions(write(tmp_path, GOOD + GOOD), SOURCES)


def test_the_committed_definitions_are_the_seven_lists_and_the_state_laws():
    loaded = {d.id: d for d in defs.load_definitions()}
    assert list(loaded) == [
        "ice2014",
        "ice2014_broad",
        "dhs2025",
        "doj2025",
        "doj2025_broad",
        "g287_2015",
        "g287_2025",
        "state_laws",
    ]
    assert {d.status for i, d in loaded.items() if i.startswith("g287")} == {"cooperating"}
    assert loaded["state_laws"].list_path.name == "state_laws.csv"
    assert (
        loaded["state_laws"].city_reading == "broad" and loaded["ice2014"].city_reading == "strict"
    )
    assert all(d.label for d in loaded.values()), "every definition has a reader label"
    assert loaded["g287_2015"].year == 2015
    assert "state" in loaded["doj2025_broad"].methods and "state" not in loaded["doj2025"].methods
    assert all(len(d.caveats) > 40 for d in loaded.values())


def test_adding_a_definition_is_adding_lines(tmp_path):
    text = defs.definitions_file().read_text() + GOOD.replace('"x"', '"dhs2025_broad"').replace(
        '["exact"]', '["exact", "alias", "county_equivalent", "containing_county", "state"]'
    )
    specs = defs.load_definitions(write(tmp_path, text))
    assert specs[-1].id == "dhs2025_broad"
    table = defs.classify(resolved(), specs, UNIVERSE)
    assert set(table["definition"]) == {d.id for d in specs}


# --- the library calls ----------------------------------------------------------------------


def test_an_unknown_definition_lists_the_valid_ones():
    with pytest.raises(UnknownChoice) as error:
        tables.load_definition("ice2015")
    message = str(error.value)
    assert "unknown definition 'ice2015'" in message
    assert all(name in message for name in ("ice2014", "dhs2025", "g287_2025"))
    assert isinstance(error.value, ValueError)


@pytest.fixture()
def built(tmp_path, monkeypatch):
    """The committed definitions classified over the hand-made rows, as `make data` writes them."""
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    table = defs.classify(resolved(), defs.load_definitions(), UNIVERSE)
    write_parquet(tables.definitions_path(), table)
    write_parquet(tables.resolution_path(), resolved())
    BuildLog("definitions").write(
        tables.log_path(), outputs=[tables.definitions_path(), tables.resolution_path()]
    )
    return table


def test_load_definition_is_a_county_indexed_status(built):
    series = tables.load_definition("ice2014")
    assert series.name == "ice2014" and series.index.name == "fips"
    assert list(series.index) == list(UNIVERSE)
    assert series["36103"] == "sanctuary" and series["48201"] == "other"
    with_reasons = tables.load_definition("ice2014", reasons=True)
    assert list(with_reasons.columns) == ["status", "reason"]


def test_overlap_counts_shared_counties(built):
    matrix = tables.overlap(["ice2014", "ice2014_broad", "doj2025", "g287_2015"])
    assert (matrix.to_numpy() == matrix.to_numpy().T).all()
    assert matrix.loc["ice2014", "ice2014"] == 4  # 06037, 36005, 36061, 36103
    assert matrix.loc["ice2014", "doj2025"] == 0  # DOJ's San Francisco only
    assert matrix.loc["ice2014", "g287_2015"] == 1  # Suffolk County, cooperating in 2015
    full = tables.overlap()
    assert list(full.index) == list(full.columns) and len(full) == 8


def test_list_definitions_counts_marked_counties(built):
    listing = tables.list_definitions()
    assert listing.loc["ice2014", "counties"] == 4
    assert listing.loc["g287_2015", "status"] == "cooperating"


def test_load_resolution_filters_by_list(built):
    assert set(tables.load_resolution("doj-list-2025")["source"]) == {"doj-list-2025"}
    with pytest.raises(UnknownChoice, match="unknown list 'cnn'"):
        tables.load_resolution("cnn")


def test_tables_not_built_yet_say_how_to_build_them(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    with pytest.raises(AnalysisError, match="run `make data`"):
        tables.load_definition("ice2014")
    assert paths.processed_dir() == tmp_path / "data" / "processed"


def test_years_read_as_runs():
    assert defs._years([2008, 2009, 2010, 2013]) == "2008-2010, 2013"


def city_rows() -> pd.DataFrame:
    """Resolved rows as classify_places reads them: a sheriff's office (a county row), a
    state agency (a state row, as the 287(g) sheets have), and a listed city."""
    rows = [
        ("g", "line 2", "Sarpy County Sheriff", "county", "exact", ["31153"], [], "", "NE"),
        ("g", "line 3", "Massachusetts DOC", "state", "state", ["25001"], [], "", "MA"),
        ("g", "line 4", "Omaha Police", "city", "city", [], ["3137000"], "", "NE"),
    ]
    frame = pd.DataFrame(
        rows,
        columns=["source", "location", "raw", "kind", "method", "fips", "places", "date", "state"],
    )
    return frame.assign(years_active=None)


def test_a_broad_reading_extends_only_the_rows_its_county_reading_counts():
    """A state agency's 287(g) agreement marks no county, so it marks none of the state's
    cities either; the sheriff's agreement covers the cities of its county."""
    places = pd.DataFrame(
        {
            "place": ["3144320", "2507000", "3137000"],
            "state": ["NE", "MA", "NE"],
            "county": ["31153", "25025", "31055"],
        }
    )
    cooperating = definition(
        id="g", status="cooperating", sources=("g",), methods=tuple(STRICT), city_reading="broad"
    )
    table = defs.classify_places(city_rows(), [cooperating], places).set_index("place")
    assert table.loc["3144320", "status"] == "cooperating"  # in the sheriff's county
    assert table.loc["3137000", "status"] == "cooperating"  # named
    assert table.loc["2507000", "status"] == "other", table.loc["2507000", "reason"]
    statewide = definition(id="s", sources=("g",), methods=(*STRICT, "state"), city_reading="broad")
    table = defs.classify_places(city_rows(), [statewide], places).set_index("place")
    assert table.loc["2507000", "status"] == "sanctuary"
