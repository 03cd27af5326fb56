"""Names of states, counties and places, with the 2015 county FIPS they stand for.

The lists name jurisdictions in words; this module holds what those words can
mean, read from the Census files:

- counties: 2010 names (county-codes-2010, with suffixes such as "County",
  "Parish", "city") mapped to 2015 codes, plus the 2015 names of the two
  counties renamed since (counties-2015); the universe is checked to be the
  3,142 counties of the 2015 boundary file.
- states: names and postal abbreviations (states-2015).
- places: incorporated places, county subdivisions (New England towns, New
  Jersey townships) and census designated places of 2010 with the counties
  each lies in (places-2010), and the 2020 place-to-county index
  (place-index-2020) as a fallback for names the 2010 file lacks.

Names are compared by `name_key`: case, accents, spacing, punctuation and
abbreviations ("St." for Saint, "Ft." for Fort, "Mt." for Mount) do not
matter. The 2010 places copy replaced accented letters by U+FFFD
("Do\ufffda Ana County"); such a letter matches any one letter.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..core import paths
from ..core.errors import SourceFormatError, ValidationError
from ..geo.counties import BOUNDARY_CHANGES, drop_territories
from ..readers import census_codes, geo
from ..readers._common import require_columns
from ..sources.buildlog import BuildLog, FileAccount

UNKNOWN_LETTER = "\ufffd"
# Words that end a county-equivalent's name; longest first ("City and Borough" before "Borough").
COUNTY_SUFFIXES = (
    "City and Borough",
    "Census Area",
    "Municipality",
    "Borough",
    "County",
    "Parish",
    "city",
)
# Suffixes to try, by state, when a county-level row gives a bare name ("Decatur").
IMPLIED_SUFFIXES = {
    "LA": ("Parish",),
    "AK": ("Borough", "Census Area", "Municipality", "City and Borough"),
}
DEFAULT_IMPLIED_SUFFIXES = ("County",)
# The Census legal/statistical descriptions that end a place name ("Abbeville city").
PLACE_DESCRIPTION = re.compile(
    r"\s+(?:city and borough|charter township|metropolitan government|metro government|"
    r"unified government|consolidated government|city|town|village|borough|township|CDP|"
    r"municipality|plantation|grant|purchase|gore|location|UT)(?:\s+\(balance\))?$"
)
# A county-equivalent's suffix in any case, for comparing names without it.
_COUNTY_WORD_END = re.compile(
    r"\s+(?:City and Borough|Census Area|Municipality|Borough|County|Parish|city)$", re.I
)
# Which kind of place a name most likely means when several share it.
PLACE_PRIORITY = {"Incorporated Place": 0, "County Subdivision": 1, "Census Designated Place": 2}


_ABBREVIATED = re.compile(r"\b(saint|fort|mount)\b")
_ABBREVIATION = {"saint": "st", "fort": "ft", "mount": "mt"}
_NOT_KEY = re.compile(r"[^a-z0-9?]")


def name_key(text: str) -> str:
    """A comparison key for a name: lower case, no accents, spaces or punctuation,
    Saint/Fort/Mount as St/Ft/Mt; an unknown letter (U+FFFD) becomes '?'."""
    text = str(text)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.replace(UNKNOWN_LETTER, "?"))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _ABBREVIATED.sub(lambda m: _ABBREVIATION[m.group(1)], text.lower())
    return _NOT_KEY.sub("", text)


def name_keys(names: list[str]) -> list[str]:
    """`name_key` of every name, vectorised (pyarrow) for the long place lists."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = pa.array(names, type=pa.string())
    keys = pc.utf8_lower(array)
    for long, short in _ABBREVIATION.items():
        keys = pc.replace_substring_regex(keys, rf"\b{long}\b", short)
    keys = pc.replace_substring_regex(keys, r"[^a-z0-9?]", "").to_pylist()
    ascii_only = pc.string_is_ascii(array).to_pylist()
    return [k if plain else name_key(n) for k, plain, n in zip(keys, ascii_only, names)]


def county_suffix(name: str) -> str | None:
    for suffix in COUNTY_SUFFIXES:
        if name.endswith(" " + suffix):
            return suffix
    return None


@dataclass(frozen=True)
class Place:
    name: str  # as the Census file writes it, e.g. "Boise City city"
    type: str  # Incorporated Place, County Subdivision, Census Designated Place
    fips: tuple[str, ...]
    source: str  # file id
    # Census code: 7 digits for a place, 10 for a county subdivision; None in the 2020 index
    code: str | None = None


@dataclass
class Gazetteer:
    counties: pd.DataFrame  # fips, state_abbr, name, name_2015 (county_table)
    states: pd.DataFrame  # state_fips, state_abbr, state_name
    places: PlaceTable | None = None
    places_2020: PlaceTable | None = None
    county_names: dict[tuple[str, str], str] = field(init=False)  # (abbr, key) -> fips
    state_by_key: dict[str, str] = field(init=False)  # key -> abbr

    def __post_init__(self):
        self.county_names = _county_name_index(self.counties)
        self.state_by_key = _state_index(self.states)
        by_fips = self.counties.drop_duplicates("fips").set_index("fips")
        self._name_2015 = by_fips["name_2015"].to_dict()
        self._by_state = {
            abbr: tuple(sorted(group["fips"].unique()))
            for abbr, group in self.counties.groupby("state_abbr")
        }
        self._state_names = dict(zip(self.states["state_abbr"], self.states["state_name"]))

    @property
    def universe(self) -> pd.Index:
        return pd.Index(sorted(self.counties["fips"].unique()), name="fips")

    def state_abbr(self, text: str) -> str | None:
        """The postal abbreviation of a state written as a name or an abbreviation."""
        return self.state_by_key.get(name_key(text))

    def state_name(self, abbr: str) -> str:
        return self._state_names[abbr]

    def counties_of_state(self, abbr: str) -> tuple[str, ...]:
        return self._by_state[abbr]

    def county(self, abbr: str, name: str) -> str | None:
        """The 2015 FIPS of the county called `name` in state `abbr`, or None."""
        key = name_key(name)
        if "?" not in key:
            return self.county_names.get((abbr, key))
        pattern = re.compile(re.escape(key).replace(r"\?", "."))
        hits = {f for (a, k), f in self.county_names.items() if a == abbr and pattern.fullmatch(k)}
        return hits.pop() if len(hits) == 1 else None

    def county_name(self, fips: str) -> str:
        """The county's 2015 name with its suffix ("Oglala Lakota County")."""
        return self._name_2015[fips]

    def closest_names(self, state: str, name: str, n: int = 3) -> list[str]:
        """The Census county and place names of `state` nearest to `name` (difflib), each
        saying what it is, for a message that must suggest what a list meant. Names
        compare without their suffix ("County", "city", "CDP"), which every candidate
        shares and would make every county look close."""
        from difflib import SequenceMatcher, get_close_matches

        labels: dict[str, list[str]] = {}  # bare name, lower case -> what the message shows
        for row in self.counties[self.counties["state_abbr"] == state].itertuples():
            label = f"{row.name_2015!r} (county {row.fips})"
            for text in {row.name_2015, row.name}:
                labels.setdefault(_bare(text), []).append(label)
        known: set[str] = set()
        for table in (self.places, self.places_2020):
            found = {}  # the 2020 index repeats most 2010 places: show each name once
            for place in table.in_state(state) if table is not None else ():
                if _bare(place.name) not in known:
                    counties = ", ".join(self.county_name(f) for f in place.fips)
                    found.setdefault(_bare(place.name), []).append(
                        f"{place.name!r} (in {counties})"
                    )
            for key, places in found.items():
                labels.setdefault(key, []).extend(places)
            known |= set(found)
        query = _bare(name)
        scored: dict[str, float] = {}
        for match in get_close_matches(query, list(labels), n=n, cutoff=0.6):
            score = SequenceMatcher(None, query, match).ratio()
            for label in labels[match]:
                scored.setdefault(label, score)
        return sorted(scored, key=lambda label: -scored[label])[:n]


def _bare(name: str) -> str:
    """A name without the words that say what it is, lower case: 'Kings County' ->
    'kings', 'Kingston city' -> 'kingston', 'City of Boise' -> 'boise'."""
    name = _COUNTY_WORD_END.sub("", PLACE_DESCRIPTION.sub("", name))
    return " ".join(_OF_PREFIX.sub("", name).lower().split())


# --- reading ------------------------------------------------------------------


def load(log: BuildLog) -> Gazetteer:
    """Read every name file through the build log (each verified and accounted)."""
    path, account = log.open("states-2015")
    states = pd.DataFrame(geo.read_states(path, account).drop(columns="geometry"))
    path, account = log.open("counties-2015")
    counties_2015 = pd.DataFrame(geo.read_counties(path, account).drop(columns="geometry"))
    path, account = log.open("county-codes-2010")
    codes = census_codes.read(path, account)
    codes = account.keep(drop_territories(codes, account, "state_fips"))
    gaz = Gazetteer(counties=county_table(codes, counties_2015, path), states=states)
    path, account = log.open("places-2010")
    gaz.places = PlaceTable(read_places_2010(path, account, gaz), "places-2010")
    path, account = log.open("place-index-2020")
    gaz.places_2020 = PlaceTable(read_place_index_2020(path, account, gaz), "place-index-2020")
    return gaz


def county_table(codes: pd.DataFrame, counties_2015: pd.DataFrame, path: Path) -> pd.DataFrame:
    """2010 names (county-codes-2010) on 2015 codes, with the 2015 name (counties-2015)
    beside each: they differ for the counties renamed since."""
    codes = codes.copy()
    # A merged county's 2010 name ("Bedford city") still names the area it joined.
    codes["fips"] = [BOUNDARY_CHANGES[f].new if f in BOUNDARY_CHANGES else f for f in codes["fips"]]
    universe_2010 = set(codes["fips"])
    universe_2015 = set(counties_2015["fips"])
    if universe_2010 != universe_2015:
        raise ValidationError(
            f"{paths.relative(path)}: the 2010 county list, on 2015 codes, does not match "
            "the 2015 boundary file: "
            f"only in 2010 {sorted(universe_2010 - universe_2015)[:10]}, only in 2015 "
            f"{sorted(universe_2015 - universe_2010)[:10]}. A county changed that "
            "counties.BOUNDARY_CHANGES does not know about."
        )
    suffix = codes["county_name"].map(lambda n: county_suffix(n) or "")
    short_2015 = codes["fips"].map(counties_2015.set_index("fips")["name"])
    codes["name_2015"] = (short_2015 + " " + suffix).str.strip()
    out = codes.rename(columns={"county_name": "name"})
    return out[["fips", "state_abbr", "name", "name_2015"]].reset_index(drop=True)


def _county_name_index(counties: pd.DataFrame) -> dict[tuple[str, str], str]:
    index: dict[tuple[str, str], str] = {}
    for row in counties.itertuples():
        for name in {row.name, row.name_2015}:
            key = (row.state_abbr, name_key(name))
            if index.setdefault(key, row.fips) != row.fips:
                raise ValidationError(
                    f"two counties of {row.state_abbr} share the name {name!r}: "
                    f"{index[key]} and {row.fips}"
                )
    return index


def _state_index(states: pd.DataFrame) -> dict[str, str]:
    index = {}
    for row in states.itertuples():
        index[name_key(row.state_name)] = row.state_abbr
        index[name_key(row.state_abbr)] = row.state_abbr
    return index


def read_places_2010(path: Path, account: FileAccount, gaz: Gazetteer) -> pd.DataFrame:
    """national_places.txt: one row per place with the 2015 FIPS of its counties."""
    raw = account.read(
        pd.read_csv(path, sep="|", dtype=str, keep_default_na=False, encoding="utf-8")
    )
    require_columns(raw, ["STATE", "STATEFP", "PLACEFP", "PLACENAME", "TYPE", "COUNTY"], path)
    raw = drop_territories(raw, account, "STATEFP", key="PLACENAME")
    outside = ~raw["STATE"].isin(set(gaz.states["state_abbr"]))
    raw = account.drop(
        raw,
        outside,
        "not one of the 50 states and DC (e.g. US Minor Outlying Islands)",
        key="PLACENAME",
    )
    raw = account.drop(
        raw,
        raw["PLACENAME"] == "County Subdivisions not defined",
        "placeholder for water or unorganised areas, not a place",
        key="PLACENAME",
        list_rows=False,
    )
    unknown_type = ~raw["TYPE"].isin(set(PLACE_PRIORITY))
    if unknown_type.any():
        raise SourceFormatError(
            path, "unknown TYPE value(s): " + ", ".join(sorted(set(raw.loc[unknown_type, "TYPE"])))
        )
    lookup: dict[tuple[str, str], tuple[str, ...]] = {}
    for state, names in set(zip(raw["STATE"], raw["COUNTY"])):
        codes = []
        for county in names.split(", "):
            code = gaz.county(state, county)
            if code is None:
                raise SourceFormatError(
                    path,
                    f"county {county!r} of {state} is not in the county list (county-codes-2010)",
                )
            codes.append(code)
        lookup[(state, names)] = tuple(sorted(set(codes)))
    fips = [lookup[pair] for pair in zip(raw["STATE"], raw["COUNTY"])]
    frame = pd.DataFrame(
        {
            "state_abbr": raw["STATE"].to_numpy(),
            "name": raw["PLACENAME"].to_numpy(),
            "type": raw["TYPE"].to_numpy(),
            "fips": fips,
            "code": [
                place_code(state, place, kind, counties)
                for state, place, kind, counties in zip(
                    raw["STATEFP"], raw["PLACEFP"], raw["TYPE"], fips
                )
            ],
        }
    )
    return account.keep(frame)


def place_code(state_fips: str, place_fp: str, kind: str, counties: tuple[str, ...]) -> str:
    """The Census code of a place (state + place, 7 digits) or of a county subdivision
    (state + county + subdivision, 10 digits: a subdivision lies in one county)."""
    if kind == "County Subdivision" and len(counties) == 1:
        return counties[0] + place_fp
    return state_fips + place_fp


def read_place_index_2020(path: Path, account: FileAccount, gaz: Gazetteer) -> pd.DataFrame:
    """place-index-2020.json: {v: 1, places: [[name, state abbreviation, [county FIPS]]]}."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    if doc.get("v") != 1 or not isinstance(doc.get("places"), list):
        raise SourceFormatError(path, "expected a JSON object {v: 1, places: [...]}")
    frame = account.read(pd.DataFrame(doc["places"], columns=["name", "state_abbr", "fips"]))
    frame["fips"] = frame["fips"].map(lambda codes: tuple(sorted(codes)))
    frame = account.drop(
        frame,
        ~frame["state_abbr"].isin(set(gaz.states["state_abbr"])),
        "not one of the 50 states and DC",
        key="name",
    )
    universe = set(gaz.counties["fips"])
    # Codes created after 2015 (Connecticut's 2022 planning regions, Alaska's 2019 split of
    # Valdez-Cordova) cannot be placed on 2015 boundaries from this index.
    off = frame["fips"].map(lambda codes: not set(codes) <= universe)
    frame = account.drop(frame, off, "a county code that is not on 2015 boundaries", key="name")
    frame["type"] = "Place (2020)"
    return account.keep(frame.reset_index(drop=True))


_PARENTHESIS = re.compile(r"(.+?)\s*\((.+)\)")
_OF_PREFIX = re.compile(r"^(?:City|Town|Village) of ")


def place_stems(name: str) -> set[str]:
    """The ways a list may write a Census place name: 'San Buenaventura (Ventura) city'
    gives itself, 'San Buenaventura (Ventura)', 'San Buenaventura' and 'Ventura'."""
    base = PLACE_DESCRIPTION.sub("", name)
    stems = {name, base}
    if "(" in base:
        match = _PARENTHESIS.fullmatch(base)
        if match:
            stems.update(match.groups())
    if " of " in base:
        stems.update([_OF_PREFIX.sub("", s) for s in stems])
    return stems


class PlaceTable:
    """Places searchable by (state, name key) in any of their written forms.

    The keys of every form are computed at once (pyarrow) and sorted, so a
    lookup is a binary search: nothing is built per place until it is found.
    """

    def __init__(self, frame: pd.DataFrame, source: str):
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        self.source = source
        self._states = frame["state_abbr"].to_numpy(dtype=object)
        self._names = frame["name"].to_numpy(dtype=object)
        self._types = frame["type"].to_numpy(dtype=object)
        self._fips = frame["fips"].to_numpy(dtype=object)
        self._codes = (
            frame["code"].to_numpy(dtype=object)
            if "code" in frame
            else np.full(len(frame), None, dtype=object)
        )
        names = self._names.tolist()
        base = pc.replace_substring_regex(
            pa.array(names, type=pa.string()), PLACE_DESCRIPTION.pattern, ""
        ).to_pylist()
        position, stems = list(range(len(names))) * 2, names + base
        for i, (name, short) in enumerate(zip(names, base)):
            if "(" in short or " of " in short:
                extra = sorted(place_stems(name) - {name, short})
                position += [i] * len(extra)
                stems += extra
        states = frame["state_abbr"].to_numpy(dtype=object)[position].tolist()
        combined = pc.binary_join_element_wise(
            pa.array(states, type=pa.string()), pa.array(name_keys(stems), type=pa.string()), "|"
        )
        order = pc.sort_indices(combined).to_numpy()
        self._keys = combined.take(pa.array(order)).to_numpy(zero_copy_only=False)
        self._positions = np.asarray(position)[order]

    def find(self, state: str, key: str) -> list[Place]:
        import numpy as np

        target = np.array([f"{state}|{key}"], dtype=object)
        lo = int(np.searchsorted(self._keys, target, side="left")[0])
        hi = int(np.searchsorted(self._keys, target, side="right")[0])
        found = dict.fromkeys(self._positions[lo:hi].tolist())
        return [self._place(i) for i in found]

    def _place(self, i: int) -> Place:
        return Place(self._names[i], self._types[i], self._fips[i], self.source, self._codes[i])

    def by_code(self) -> dict[str, Place]:
        """Every place with a Census code, by that code."""
        return {c: self._place(i) for i, c in enumerate(self._codes) if c is not None}

    def in_state(self, state: str) -> list[Place]:
        """Every place of `state` (for suggestions; lookups by name use `find`)."""
        import numpy as np

        return [self._place(i) for i in np.flatnonzero(self._states == state)]
