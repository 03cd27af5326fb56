"""From a list's row to the 2015 counties it names, with how and why.

Every row ends with `fips` (a list of 2015 county codes, empty when
unresolved), a `method` and a `rule` saying what decided it:

- exact: the row names a county or county-equivalent whose Census name is
  the same (up to case, accents, spacing, punctuation and "St."/"Saint"), or
  the same once the suffix its kind implies is added ("Decatur" county row ->
  "Decatur County");
- alias: a hand-made decision in data/aliases.csv names the county (a typo, a
  regional jail, a sheriff of a consolidated city);
- county_equivalent: the row names a city whose territory is whole counties
  (Baltimore city, Virginia's independent cities, Anchorage; New York City and
  other consolidated city-counties through data/aliases.csv);
- containing_county: the row names a city, town or village, and these are the
  counties it lies in (Census 2010 places and county subdivisions, else the
  2020 place index, else data/aliases.csv);
- state: the row names a state (or every county jail of one): all its counties;
- unresolved: nothing matched, or several places of that name lie in
  different counties; `unresolved_reason` says which and what to do.

Rows of a county-level kind must resolve: `require_county_rows_resolved`
stops the build otherwise, naming each row.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..core import paths
from ..core.errors import SourceFormatError, ValidationError
from ..names.gazetteer import (
    DEFAULT_IMPLIED_SUFFIXES,
    IMPLIED_SUFFIXES,
    PLACE_PRIORITY,
    Gazetteer,
    Place,
    county_suffix,
    name_key,
)

METHODS = ("exact", "alias", "county_equivalent", "containing_county", "state")
UNRESOLVED = "unresolved"
COUNTY_LEVEL_KINDS = ("county",)
ALIAS_COLUMNS = ["source", "state", "name", "resolves_as", "fips", "comment"]
# What an alias line may decide, and the method its rows then carry.
ALIAS_METHODS = {
    "county": "alias",
    "county_equivalent": "county_equivalent",
    "containing_county": "containing_county",
    "state": "state",
    "none": UNRESOLVED,
}
ANY_SOURCE = "*"
# A city row written as a county-equivalent's full name ("Baltimore City", "District of
# Columbia") is that county-equivalent; a name ending in one of these words is a county's,
# not a city's, so such rows go to the place lists instead.
_COUNTY_WORDS = ("County", "Parish", "Borough", "Census Area")


def aliases_file() -> Path:
    """The table of hand-made decisions: the project root's own, else the repository's."""
    return paths.aliases_file()


@dataclass(frozen=True)
class Alias:
    line: int
    source: str
    state: str
    name: str
    resolves_as: str
    fips: tuple[str, ...]
    comment: str


@dataclass(frozen=True)
class Resolution:
    fips: tuple[str, ...]
    method: str
    rule: str = ""
    reason: str = ""  # why a row is unresolved
    alias_line: int | None = None
    flags: tuple[str, ...] = ()
    places: tuple[str, ...] = ()  # Census place code of a city row, where the name files give it


def load_aliases(path: Path, gaz: Gazetteer, sources: set[str]) -> list[Alias]:
    """Read and check data/aliases.csv. Lines starting with '#' are comments."""
    shown = paths.relative(path)
    with open(path, newline="", encoding="utf-8") as fh:
        numbered = [
            (n, line)
            for n, line in enumerate(fh, start=1)
            if line.strip() and not line.lstrip().startswith("#")
        ]
    records = list(csv.reader([line for _, line in numbered]))
    if not records or records[0] != ALIAS_COLUMNS:
        raise SourceFormatError(
            shown,
            f"the header must be {','.join(ALIAS_COLUMNS)}",
            "Fix the first non-comment line of the alias table.",
        )
    universe = set(gaz.counties["fips"])
    state_fips = dict(zip(gaz.states["state_abbr"], gaz.states["state_fips"]))
    aliases: list[Alias] = []
    seen: dict[tuple[str, str, str], int] = {}
    for (line, _), record in zip(numbered[1:], records[1:]):

        def bad(problem: str, line: int = line) -> SourceFormatError:
            return SourceFormatError(
                shown,
                f"line {line}: {problem}",
                "Each line is source,state,name,resolves_as,fips,comment; see docs/definitions.md.",
            )

        if len(record) != len(ALIAS_COLUMNS):
            raise bad(f"{len(record)} fields, expected {len(ALIAS_COLUMNS)}")
        source, state, name, resolves_as, fips_text, comment = (v.strip() for v in record)
        if source != ANY_SOURCE and source not in sources:
            raise bad(f"unknown source {source!r}; use '*' or one of {sorted(sources)}")
        if state not in state_fips:
            raise bad(f"{state!r} is not the postal abbreviation of a state or DC")
        if resolves_as not in ALIAS_METHODS:
            raise bad(f"resolves_as {resolves_as!r} is not one of {sorted(ALIAS_METHODS)}")
        if not comment:
            raise bad("the comment (why this decision) is empty")
        fips = tuple(fips_text.split())
        needs_fips = resolves_as in ("county", "county_equivalent", "containing_county")
        if needs_fips and not fips:
            raise bad(f"resolves_as {resolves_as} needs the county FIPS code(s)")
        if not needs_fips and fips:
            raise bad(f"resolves_as {resolves_as} takes no FIPS codes")
        for code in fips:
            if code not in universe:
                raise bad(f"{code!r} is not a 2015 county FIPS code of the 50 states and DC")
            if code[:2] != state_fips[state]:
                raise bad(f"{code} is not a county of {state}")
        key = (source, state, name_key(name))
        if key in seen:
            raise bad(f"same source, state and name as line {seen[key]}")
        seen[key] = line
        aliases.append(Alias(line, source, state, name, resolves_as, fips, comment))
    return aliases


class Resolver:
    def __init__(self, gaz: Gazetteer, aliases: list[Alias], aliases_path: Path | None = None):
        self.gaz = gaz
        self.aliases = {(a.source, a.state, name_key(a.name)): a for a in aliases}
        self.used: set[int] = set()
        self._shown = paths.relative(aliases_path or aliases_file())

    def resolve(self, source: str, kind: str, state: str, name: str, raw: str = "") -> Resolution:
        alias = self._alias(source, state, name, raw)
        if alias is not None:
            return self._from_alias(alias)
        if kind in ("state", "statewide"):
            return Resolution(
                self.gaz.counties_of_state(state),
                "state",
                f"every county of {self.gaz.state_name(state)}",
            )
        if kind in COUNTY_LEVEL_KINDS:
            return self._county(state, name)
        return self._city(state, name)

    def unused_aliases(self) -> list[Alias]:
        return [a for a in self.aliases.values() if a.line not in self.used]

    # --- steps ---------------------------------------------------------------

    def _alias(self, source: str, state: str, name: str, raw: str) -> Alias | None:
        for src in (source, ANY_SOURCE):
            for text in (name, raw):
                alias = self.aliases.get((src, state, name_key(text))) if text else None
                if alias is not None:
                    self.used.add(alias.line)
                    return alias
        return None

    def _from_alias(self, alias: Alias) -> Resolution:
        rule = f"{self._shown} line {alias.line}: {alias.comment}"
        method = ALIAS_METHODS[alias.resolves_as]
        if method == UNRESOLVED:
            return Resolution((), UNRESOLVED, rule, reason=alias.comment, alias_line=alias.line)
        fips = alias.fips if method != "state" else self.gaz.counties_of_state(alias.state)
        return Resolution(tuple(sorted(fips)), method, rule, alias_line=alias.line)

    def _county(self, state: str, name: str) -> Resolution:
        fips = self.gaz.county(state, name)
        if fips:
            return Resolution((fips,), "exact", f"county {self.gaz.county_name(fips)!r}")
        if county_suffix(name) is None:
            for suffix in IMPLIED_SUFFIXES.get(state, DEFAULT_IMPLIED_SUFFIXES):
                fips = self.gaz.county(state, f"{name} {suffix}")
                if fips:
                    return Resolution(
                        (fips,),
                        "exact",
                        f"county {self.gaz.county_name(fips)!r} ('{suffix}' implied)",
                    )
        return Resolution(
            (),
            UNRESOLVED,
            reason=(
                f"no county called {name!r} in {state} (county-codes-2010, counties-2015); if the "
                f"list means a known county, add a line to {self._shown}"
            ),
        )

    def _city(self, state: str, name: str) -> Resolution:
        fips = self.gaz.county(state, name)
        if fips and county_suffix(self.gaz.county_name(fips)) not in _COUNTY_WORDS:
            return Resolution(
                (fips,),
                "county_equivalent",
                f"the city is the county-equivalent {self.gaz.county_name(fips)!r}",
            )
        for table in (self.gaz.places, self.gaz.places_2020):
            for variant in city_variants(name):
                found = table.find(state, name_key(variant))
                if found:
                    return self._from_places(state, name, found)
        return Resolution(
            (),
            UNRESOLVED,
            reason=(
                f"no Census place or town called {name!r} in {state} (places-2010, "
                f"place-index-2020); if the list means a known place, add a line to {self._shown}"
            ),
        )

    def _from_places(self, state: str, name: str, found: list[Place]) -> Resolution:
        best = min(PLACE_PRIORITY.get(p.type, 9) for p in found)
        chosen = [p for p in found if PLACE_PRIORITY.get(p.type, 9) == best]
        if len({p.fips for p in chosen}) > 1:
            listing = "; ".join(f"{p.name} ({self._names(p.fips)})" for p in chosen)
            return Resolution(
                (),
                UNRESOLVED,
                reason=(
                    f"{len(chosen)} Census places called {name!r} in {state} lie in different "
                    f"counties: {listing}. Add a line to {self._shown} to say which one the list "
                    "means"
                ),
            )
        place = chosen[0]
        flags = self._cross_check(state, name, place)
        codes = (place.code,) if place.code else ()
        if len(place.fips) == 1 and place.type == "Incorporated Place":
            county = self.gaz.county_name(place.fips[0])
            # Same name as its only county: an independent city ("Richmond city"); a city
            # that merged into a county (Bedford) now lies in a county of another name.
            if name_key(county) == name_key(place.name):
                return Resolution(
                    place.fips,
                    "county_equivalent",
                    f"{place.source}: {place.name!r} is the county-equivalent {county!r}",
                    flags=flags,
                    places=codes,
                )
        return Resolution(
            place.fips,
            "containing_county",
            f"{place.source}: {place.name!r} ({place.type}) lies in {self._names(place.fips)}",
            flags=flags,
            places=codes,
        )

    def _cross_check(self, state: str, name: str, place: Place) -> tuple[str, ...]:
        """Flag a 2010 place whose counties no 2020 place of that name shares (a city
        that annexed land across a county line since, or a different place)."""
        if place.source != "places-2010" or self.gaz.places_2020 is None:
            return ()
        for variant in city_variants(name):
            later = {p.fips for p in self.gaz.places_2020.find(state, name_key(variant))}
            if later:
                return () if place.fips in later else ("counties_differ_in_2020_index",)
        return ()

    def _names(self, fips: tuple[str, ...]) -> str:
        return ", ".join(f"{self.gaz.county_name(f)} {f}" for f in fips)


def city_variants(name: str) -> list[str]:
    """'City of Boise' -> ['City of Boise', 'Boise']; 'Las Vegas City' ->
    ['Las Vegas City', 'Las Vegas']: the written form first."""
    variants = [name]
    stripped = re.sub(r"^(?:City|Town|Village|Borough|Township) of\s+", "", name, flags=re.I)
    variants.append(stripped)
    variants.append(re.sub(r"\s+(?:City|Town|Village|Township|Borough)$", "", stripped, flags=re.I))
    return list(dict.fromkeys(v for v in variants if v))


def resolve_rows(rows: pd.DataFrame, resolver: Resolver) -> pd.DataFrame:
    """The rows with fips, method, rule, alias_line and unresolved_reason added."""
    results = [
        resolver.resolve(r.source, r.kind, r.state, r.name, r.raw)
        for r in rows[["source", "kind", "state", "name", "raw"]].itertuples(index=False)
    ]
    out = rows.copy()
    out["fips"] = [list(r.fips) for r in results]
    out["method"] = [r.method for r in results]
    out["rule"] = [r.rule or None for r in results]
    out["alias_line"] = pd.array([r.alias_line for r in results], dtype="Int64")
    out["unresolved_reason"] = [r.reason or None for r in results]
    out["flags"] = [list(f) + list(r.flags) for f, r in zip(out["flags"], results)]
    out["places"] = [list(r.places) for r in results]
    return out


def require_county_rows_resolved(resolved: pd.DataFrame) -> None:
    """Stop when a county-level row names no county: a silent gap would change a definition."""
    bad = resolved[resolved["kind"].isin(COUNTY_LEVEL_KINDS) & (resolved["method"] == UNRESOLVED)]
    if len(bad):
        lines = [
            f"  {r.source} {r.location}: {r.raw!r} ({r.state}): {r.unresolved_reason}"
            for r in bad.itertuples()
        ]
        raise ValidationError(
            f"{len(bad)} county-level row(s) of the lists name no county:\n" + "\n".join(lines)
        )


def check_source_fips(resolved: pd.DataFrame) -> list[dict]:
    """Rows whose own FIPS column disagrees with the county their name resolves to.

    The name decides (the Washington Post table gives Collier County, FL, the
    code 12023, which is Columbia County's); each disagreement is flagged on
    the row and listed in the build log.
    """
    disagreements = []
    for i, row in resolved.iterrows():
        code = row["source_fips"]
        if not isinstance(code, str) or not code or row["method"] == UNRESOLVED:
            continue
        if list(row["fips"]) != [code]:
            disagreements.append(
                {
                    "source": row["source"],
                    "row": row["location"],
                    "name": row["raw"],
                    "source_fips": code,
                    "resolved_fips": list(row["fips"]),
                }
            )
            resolved.at[i, "flags"] = list(row["flags"]) + ["source_fips_differs"]
    return disagreements
