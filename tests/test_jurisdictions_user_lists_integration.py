"""A list a user brings, registered in a scratch definitions.toml and built end to end
with the real Census names and published lists (data/raw: `make data`)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.core import paths
from analysis.jurisdictions import tables
from analysis.jurisdictions.build import build_definitions

pytestmark = pytest.mark.integration

# Hand-made, in the shape of the ILRC county data: real jurisdictions, not a copy of it.
LIST = """jurisdiction,state,kind,enacted,source,note
Multnomah County,Oregon,county,2014-04,hand-made test list,
Santa Clara,CA,county,2011-10,hand-made test list,bare county name
King County,WA,county,2014-05,hand-made test list,
Cook County,IL,county,2011-09,hand-made test list,
Baltimore city,MD,,2015,hand-made test list,independent city
Richmond city,VA,,,hand-made test list,independent city
New York City,NY,,2014-11,hand-made test list,five counties through data/aliases.csv
Denver,CO,city,,hand-made test list,consolidated city and county
Doña Ana County,NM,county,2014-07,hand-made test list,
Shannon County,SD,county,2014,hand-made test list,Oglala Lakota County since 2015
Nassau County Sheriff's Office,NY,,,hand-made test list,a county agency
Boston,MA,,2014-08,hand-made test list,a city: counts only in the broad reading
Oregon,OR,,2017,hand-made test list,a state: counts only in the broad reading
"""
STRICT = {
    "41051",  # Multnomah
    "06085",  # Santa Clara
    "53033",  # King, WA
    "17031",  # Cook
    "24510",  # Baltimore city
    "51760",  # Richmond city
    "36005",
    "36047",
    "36061",
    "36081",
    "36085",  # New York City
    "08031",  # Denver
    "35013",  # Doña Ana
    "46102",  # Oglala Lakota (Shannon)
    "36059",  # Nassau
}
DEFINITIONS = """
[[definition]]
id = "handmade2016"
title = "A hand-made list in the shape of the ILRC county data"
status = "sanctuary"
list = "lists/handmade.csv"
methods = ["exact", "alias", "county_equivalent"]
as_of = "2016"
caveats = "A test list."

[[definition]]
id = "handmade2016_broad"
title = "The same, broad"
status = "sanctuary"
sources = ["list:handmade2016"]
methods = ["exact", "alias", "county_equivalent", "containing_county", "state"]
as_of = "2016"
caveats = "A test list, read broadly."
"""


def marked(table: pd.DataFrame, definition: str) -> set[str]:
    part = table[table["definition"] == definition]
    return set(part.loc[part["status"] != "other", "fips"])


@pytest.fixture()
def built(tmp_path, monkeypatch, raw_dir):
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "handmade.csv").write_text(LIST, encoding="utf-8")
    definitions = tmp_path / "definitions.toml"
    definitions.write_text((paths.REPO_DIR / "data" / "definitions.toml").read_text() + DEFINITIONS)
    monkeypatch.setattr(paths, "definitions_file", lambda: definitions)
    return build_definitions(raw_dir=raw_dir, definitions=definitions)


def test_a_registered_list_marks_its_counties(built):
    assert marked(built.definitions, "handmade2016") == STRICT
    oregon = {f for f in set(built.definitions["fips"]) if f.startswith("41")}
    assert len(oregon) == 36
    assert marked(built.definitions, "handmade2016_broad") == STRICT | oregon | {"25025"}
    # The published definitions are what they are without the list.
    assert len(marked(built.definitions, "ice2014")) == 149
    assert len(marked(built.definitions, "g287_2015")) == 33


def test_its_rows_carry_dates_flags_and_the_log_its_checksum(built, tmp_path):
    rows = built.resolution[built.resolution["source"] == "list:handmade2016"].set_index("raw")
    assert rows.loc["Multnomah County", "date"] == "2014-04"
    assert rows.loc["Baltimore city", ["date", "method"]].tolist() == ["2015", "county_equivalent"]
    assert "kind_guessed" in rows.loc["Baltimore city", "flags"]
    assert rows.loc["Nassau County Sheriff's Office", "county_names"] == ["Nassau County"]
    assert rows.loc["Shannon County", "county_names"] == ["Oglala Lakota County"]
    assert rows.loc["New York City", "alias_line"] > 0  # the '*' line of data/aliases.csv
    log = json.loads(tables.log_path().read_text())
    (entry,) = [e for e in log["user_lists"] if e["definition"] == "handmade2016"]
    assert entry["rows"] == 13 and entry["kind_guessed"] == 6 and entry["unresolved"] == []
    assert len(entry["sha256"]) == 64
    assert log["definitions"]["handmade2016"] == {"sanctuary": len(STRICT)}


def test_the_library_takes_a_user_definition_like_a_published_one(built, panel):
    from analysis.compare import compare

    assert tables.load_definition("handmade2016").value_counts()["sanctuary"] == len(STRICT)
    table = compare("handmade2016", "raw", 2015, "poverty_pct", panel=panel)
    assert set(table["n_focal"]) == {len(STRICT)}
    rows = tables.definition_rows("handmade2016_broad")
    assert rows["counts"].all() and len(rows) == 13
