"""Unit tests of name -> county resolution on a small gazetteer built from
hand-written samples of the Census files (national_county.txt, national_places.txt,
the 2020 place index) and alias tables written in the tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sample_gazetteer import sample_gazetteer

from analysis.core.errors import SourceFormatError, ValidationError
from analysis.jurisdictions import resolve
from analysis.names import gazetteer
from analysis.names.gazetteer import Gazetteer
from analysis.readers import census_codes
from analysis.sources.buildlog import FileAccount

SAMPLES = Path(__file__).parent / "fixtures" / "jurisdictions"
HEADER = "source,state,name,resolves_as,fips,comment\n"


def account(name: str) -> FileAccount:
    return FileAccount(name, name, "sha256-of-sample")


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return sample_gazetteer()


def resolver(gaz: Gazetteer, tmp_path: Path, lines: str = "") -> resolve.Resolver:
    path = tmp_path / "aliases.csv"
    path.write_text("# decisions\n" + HEADER + lines)
    sources = {"cis-sanctuary-map", "dhs-list-2025", "wapo-287g-2019"}
    return resolve.Resolver(gaz, resolve.load_aliases(path, gaz, sources), path)


# --- the gazetteer -----------------------------------------------------------


def test_places_file_quirks_are_read_through(gaz):
    acct = account("places")
    frame = gazetteer.read_places_2010(SAMPLES / "national_places_sample.txt", acct, gaz)
    assert acct.rows_read == 17  # blank lines are not rows
    reasons = {d["reason"]: d["count"] for d in acct.dropped}
    assert reasons == {
        "Puerto Rico: outside the 50 states and DC": 1,
        "placeholder for water or unorganised areas, not a place": 1,
    }
    anthony = frame[frame["name"] == "Anthony CDP"].iloc[0]
    assert anthony["fips"] == ("35013",)  # 'Do\ufffda Ana County' matched despite the lost letter


def test_renamed_and_merged_counties_keep_their_old_names(gaz):
    assert gaz.county("SD", "Shannon County") == gaz.county("SD", "Oglala Lakota County") == "46102"
    assert gaz.county("VA", "Bedford city") == "51019"
    assert "46113" not in gaz.universe and "51515" not in gaz.universe
    assert len(gaz.universe) == 28


def test_name_keys_ignore_case_accents_punctuation_and_saint():
    assert gazetteer.name_key("Doña Ana County") == gazetteer.name_key("DONA ANA county")
    assert gazetteer.name_key("St. Joseph") == gazetteer.name_key("Saint Joseph")
    assert gazetteer.name_key("Ft. Myers") == gazetteer.name_key("Fort Myers")
    assert gazetteer.name_key("DeBaca County") == gazetteer.name_key("De Baca County")
    names = [
        "St. Joseph village",
        "Do\ufffda Ana County",
        "Prince George's County",
        "Mount Rainier",
    ]
    assert gazetteer.name_keys(names) == [gazetteer.name_key(n) for n in names]


def test_place_stems_give_every_written_form():
    assert gazetteer.place_stems("San Buenaventura (Ventura) city") >= {
        "San Buenaventura (Ventura) city",
        "San Buenaventura",
        "Ventura",
    }
    assert "Oak Park" in gazetteer.place_stems("Oak Park village")
    assert "Milford" in gazetteer.place_stems("Milford city (balance)")


def test_universe_check_fails_when_the_2015_file_has_a_county_the_2010_list_lacks():
    codes = census_codes.read(SAMPLES / "national_county_sample.txt", account("codes"))
    codes = codes[codes["state_fips"] != "72"]
    counties_2015 = codes[["fips", "state_fips", "county_name"]].rename(
        columns={"county_name": "name"}
    )
    counties_2015 = pd.concat(
        [counties_2015, pd.DataFrame([{"fips": "02063", "state_fips": "02", "name": "Chugach"}])]
    )
    with pytest.raises(ValidationError, match="02063"):
        gazetteer.county_table(codes, counties_2015, Path("codes"))


# --- counties ------------------------------------------------------------------


def test_suffolk_county_new_york_is_36103_not_suffolk_massachusetts(gaz, tmp_path):
    result = resolver(gaz, tmp_path).resolve("cis-sanctuary-map", "county", "NY", "Suffolk County")
    assert (result.fips, result.method) == (("36103",), "exact")
    other = resolver(gaz, tmp_path).resolve("dhs-list-2025", "county", "MA", "Suffolk County")
    assert other.fips == ("25025",)


def test_a_bare_county_name_takes_the_suffix_its_kind_implies(gaz, tmp_path):
    result = resolver(gaz, tmp_path).resolve("wapo-287g-2019", "county", "GA", "Decatur")
    assert (result.fips, result.method) == (("13087",), "exact")
    assert "'County' implied" in result.rule


def test_county_names_match_across_accents(gaz, tmp_path):
    result = resolver(gaz, tmp_path).resolve("dhs-list-2025", "county", "NM", "Doña Ana County")
    assert result.fips == ("35013",)


def test_baltimore_county_and_baltimore_city_stay_apart(gaz, tmp_path):
    r = resolver(gaz, tmp_path)
    assert r.resolve("dhs-list-2025", "county", "MD", "Baltimore County").fips == ("24005",)
    city = r.resolve("cis-sanctuary-map", "city", "MD", "Baltimore")
    assert (city.fips, city.method) == (("24510",), "county_equivalent")
    written = r.resolve("dhs-list-2025", "city", "MD", "Baltimore City")
    assert (written.fips, written.method) == (("24510",), "county_equivalent")


def test_virginia_independent_city_is_its_own_county(gaz, tmp_path):
    r = resolver(gaz, tmp_path)
    assert r.resolve("dhs-list-2025", "city", "VA", "Richmond").fips == ("51760",)
    assert r.resolve("dhs-list-2025", "county", "VA", "Richmond County").fips == ("51159",)


def test_a_city_merged_into_a_county_is_no_county_equivalent(gaz, tmp_path):
    result = resolver(gaz, tmp_path).resolve("dhs-list-2025", "city", "VA", "Bedford")
    assert (result.fips, result.method) == (("51019",), "containing_county")


def test_unknown_county_is_unresolved_with_a_reason(gaz, tmp_path):
    result = resolver(gaz, tmp_path).resolve("wapo-287g-2019", "county", "NY", "Kingz County")
    assert result.method == "unresolved" and result.fips == ()
    assert "no county called 'Kingz County' in NY" in result.reason
    assert "aliases.csv" in result.reason


# --- cities ------------------------------------------------------------------------


def test_east_haven_is_a_town_in_new_haven_county(gaz, tmp_path):
    result = resolver(gaz, tmp_path).resolve("cis-sanctuary-map", "city", "CT", "East Haven")
    assert (result.fips, result.method) == (("09009",), "containing_county")
    assert "'East Haven town' (County Subdivision)" in result.rule


def test_a_city_spanning_two_counties_resolves_to_both(gaz, tmp_path):
    result = resolver(gaz, tmp_path).resolve("dhs-list-2025", "city", "MI", "East Lansing")
    assert (result.fips, result.method) == (("26037", "26065"), "containing_county")


def test_city_of_prefix_and_city_suffix_are_read_through(gaz, tmp_path):
    r = resolver(gaz, tmp_path)
    assert r.resolve("dhs-list-2025", "city", "MA", "City of Cambridge").fips == ("25017",)
    assert r.resolve("dhs-list-2025", "city", "KS", "Lawrence City").fips == ("20045",)


def test_a_name_only_in_the_2020_index_resolves_from_it(gaz, tmp_path):
    result = resolver(gaz, tmp_path).resolve("dhs-list-2025", "city", "MI", "Okemos")
    assert result.fips == ("26065",) and result.rule.startswith("place-index-2020")


def test_unknown_city_is_unresolved_with_a_reason(gaz, tmp_path):
    result = resolver(gaz, tmp_path).resolve("dhs-list-2025", "city", "NY", "Atlantis")
    assert result.method == "unresolved"
    assert "no Census place or town called 'Atlantis' in NY" in result.reason


def test_places_of_one_name_in_two_counties_are_not_guessed(gaz, tmp_path):
    result = resolver(gaz, tmp_path).resolve("wapo-287g-2019", "city", "PA", "Derry Township")
    assert result.method == "unresolved"
    assert "Dauphin County 42043" in result.reason and "Mifflin County 42087" in result.reason


def test_without_an_alias_san_miguel_new_mexico_would_be_the_wrong_county(gaz, tmp_path):
    plain = resolver(gaz, tmp_path).resolve("cis-sanctuary-map", "city", "NM", "San Miguel")
    assert plain.fips == ("35013",)  # the San Miguel CDP of Doña Ana County
    decided = resolver(
        gaz,
        tmp_path,
        "cis-sanctuary-map,NM,San Miguel,county,35047,the county detention centre's policy\n",
    )
    result = decided.resolve("cis-sanctuary-map", "city", "NM", "San Miguel")
    assert (result.fips, result.method, result.alias_line) == (("35047",), "alias", 3)


# --- states and aliases --------------------------------------------------------------


def test_a_state_row_names_all_its_counties(gaz, tmp_path):
    result = resolver(gaz, tmp_path).resolve("dhs-list-2025", "state", "MI", "Michigan")
    assert (result.fips, result.method) == (("26037", "26065"), "state")


def test_new_york_city_is_five_counties_by_alias(gaz, tmp_path):
    r = resolver(
        gaz,
        tmp_path,
        "*,NY,New York City,county_equivalent,36005 36047 36061 36081 36085,the five boroughs\n",
    )
    result = r.resolve("dhs-list-2025", "city", "NY", "New York City")
    assert result.method == "county_equivalent" and len(result.fips) == 5
    assert result.rule.endswith("line 3: the five boroughs")
    assert r.unused_aliases() == []


def test_an_alias_can_match_the_whole_entry_and_say_none(gaz, tmp_path):
    r = resolver(
        gaz,
        tmp_path,
        'wapo-287g-2019,AL,Etowah Regional Task Force,none,,"a task force, not a jurisdiction"\n',
    )
    result = r.resolve(
        "wapo-287g-2019", "city", "AL", "Etowah Regional", raw="Etowah Regional Task Force"
    )
    assert (result.method, result.reason) == ("unresolved", "a task force, not a jurisdiction")


def test_unused_aliases_are_reported(gaz, tmp_path):
    r = resolver(gaz, tmp_path, "dhs-list-2025,NY,Nowhere,county,36103,never listed\n")
    r.resolve("dhs-list-2025", "county", "NY", "Suffolk County")
    assert [a.name for a in r.unused_aliases()] == ["Nowhere"]


@pytest.mark.parametrize(
    "line, message",
    [
        ("dhs-list-2025,NY,X,county,36999,why\n", "'36999' is not a 2015 county FIPS"),
        ("dhs-list-2025,NY,X,county,25025,why\n", "25025 is not a county of NY"),
        ("cnn-list,NY,X,county,36103,why\n", "unknown source 'cnn-list'"),
        ("dhs-list-2025,NY,X,county,36103,\n", "the comment"),
        ("dhs-list-2025,NY,X,borough,36103,why\n", "resolves_as 'borough'"),
        ("dhs-list-2025,NY,X,county,,why\n", "needs the county FIPS"),
        ("dhs-list-2025,NY,X,state,36103,why\n", "takes no FIPS"),
        (
            "dhs-list-2025,NY,X,county,36103,why\ndhs-list-2025,NY,x,county,36103,why\n",
            "line 4: same source, state and name as line 3",
        ),
        ("dhs-list-2025,NY,X,county,36103\n", "5 fields, expected 6"),
    ],
)
def test_alias_table_errors_name_the_line(gaz, tmp_path, line, message):
    with pytest.raises(SourceFormatError, match=message):
        resolver(gaz, tmp_path, line)


# --- whole frames -----------------------------------------------------------------------


def frame(rows: list[dict]) -> pd.DataFrame:
    base = {
        "source": "wapo-287g-2019",
        "location": "row 2",
        "raw": "",
        "flags": [],
        "source_fips": None,
    }
    return pd.DataFrame([{**base, **r} for r in rows])


def test_an_unresolved_county_row_stops_the_build_naming_the_row(gaz, tmp_path):
    rows = frame(
        [
            {
                "kind": "county",
                "state": "NY",
                "name": "Kingz County",
                "raw": "Kingz County SO",
                "location": "row 7",
            },
            {"kind": "city", "state": "NY", "name": "Atlantis", "raw": "Atlantis PD"},
        ]
    )
    resolved = resolve.resolve_rows(rows, resolver(gaz, tmp_path))
    with pytest.raises(ValidationError, match=r"(?s)1 county-level row.*row 7: 'Kingz County SO'"):
        resolve.require_county_rows_resolved(resolved)


def test_unresolved_city_rows_do_not_stop_the_build(gaz, tmp_path):
    rows = frame([{"kind": "city", "state": "NY", "name": "Atlantis", "raw": "Atlantis PD"}])
    resolved = resolve.resolve_rows(rows, resolver(gaz, tmp_path))
    resolve.require_county_rows_resolved(resolved)
    assert resolved.loc[0, "unresolved_reason"].startswith("no Census place")


def test_a_rows_own_fips_that_disagrees_with_its_name_is_flagged(gaz, tmp_path):
    rows = frame(
        [
            {
                "kind": "county",
                "state": "NY",
                "name": "Suffolk County",
                "raw": "Suffolk County Sheriff's Office",
                "source_fips": "36101",
            },
            {
                "kind": "county",
                "state": "MD",
                "name": "Baltimore County",
                "raw": "Baltimore County Sheriff's Office",
                "source_fips": "24005",
            },
        ]
    )
    resolved = resolve.resolve_rows(rows, resolver(gaz, tmp_path))
    found = resolve.check_source_fips(resolved)
    assert found == [
        {
            "source": "wapo-287g-2019",
            "row": "row 2",
            "name": "Suffolk County Sheriff's Office",
            "source_fips": "36101",
            "resolved_fips": ["36103"],
        }
    ]
    assert resolved.loc[0, "flags"] == ["source_fips_differs"]
    assert resolved.loc[1, "flags"] == []
