"""Sanctuary and cooperating definitions: what each counts, read from data/definitions.toml.

A definition is data, not code: the lists it reads (`sources`, published lists
from data/sources.toml, or `list`, a CSV file of the user's own: user_lists.py),
the status it gives (`status`: sanctuary or cooperating), which resolutions count
(`methods`: a county named outright, a county-equivalent city, the counties
containing a listed city, every county of a listed state), optionally which
kinds of row (`kinds`) and, for lists kept by year, the year (`year`).
`classify` turns the resolved rows into one row per county and definition,
with the rows behind every status in `reason`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..core import paths
from ..core.errors import SourceFormatError, ValidationError
from ..geo.regions import STATE_FIPS
from .readers import KINDS, LISTS
from .resolve import METHODS

STATUSES = ("sanctuary", "cooperating")
OTHER = "other"
REQUIRED = ("id", "title", "status", "methods", "as_of", "caveats")
LISTS_FROM = ("sources", "list")  # exactly one: published lists, or a file of the user's
OPTIONAL = ("year", "kinds", "label", "city_reading")
# How a definition marks cities (places): "strict", the cities its rows name (and the city
# of a consolidated city-county its rows name); "broad", also every city inside a county
# or state its rows name, since a county jail's or a state's policy covers the arrests of
# every city in it.
CITY_READINGS = ("strict", "broad")
ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
USER_SOURCE_PREFIX = "list:"


def definitions_file() -> Path:
    return paths.definitions_file()


def user_source(definition_id: str) -> str:
    """The source id of the rows of a definition's own list, as data/aliases.csv and
    the resolution table name them: 'list:<definition id>'."""
    return f"{USER_SOURCE_PREFIX}{definition_id}"


def user_list_path(text: str) -> Path:
    """A `list` path: absolute, or relative to the project root (ANALYSIS_ROOT when set,
    else the repository), which is also where Make looks for it; a list committed with
    the repository (data/lists/) is found there from any project root."""
    path = Path(text).expanduser()
    if path.is_absolute():
        return path
    found = paths.root() / path
    committed = paths.REPO_DIR / path
    return committed if not found.exists() and committed.exists() else found


@dataclass(frozen=True)
class Definition:
    id: str
    title: str
    status: str
    sources: tuple[str, ...]
    methods: tuple[str, ...]
    as_of: str
    caveats: str
    year: int | None = None
    kinds: tuple[str, ...] | None = None
    list_path: Path | None = None  # the user's own list, whose rows are user_source(id)
    label: str = ""  # what readers see ("ICE 2014 table"); the id when not given
    city_reading: str = "strict"

    @property
    def reader_label(self) -> str:
        return self.label or self.id

    def marks_rows(self, rows: pd.DataFrame) -> pd.Series:
        """Which rows of this definition's sources speak for it at all (its kinds and
        year), whatever the unit: the rows a city reading starts from."""
        mask = rows["source"].isin(self.sources)
        if self.kinds is not None:
            mask &= rows["kind"].isin(self.kinds)
        if self.year is not None:
            mask &= rows["years_active"].map(
                lambda years: years is not None and self.year in list(years)
            )
        return mask

    def counts(self, rows: pd.DataFrame) -> pd.Series:
        """Which rows (of this definition's sources) mark their counties."""
        return self.marks_rows(rows) & rows["method"].isin(self.methods)

    def why_not(self, row) -> str:
        """Why a row of this definition's sources does not mark its counties."""
        if row.method not in self.methods:
            return f"{row.method} rows do not count in {self.id}"
        if self.kinds is not None and row.kind not in self.kinds:
            return f"{row.kind} rows do not count in {self.id}"
        active = list(row.years_active) if row.years_active is not None else []
        return f"not active in {self.year} (active {_years(active) or 'in no year'})"


def _years(years: list[int]) -> str:
    """[2008, 2009, 2010, 2013] -> '2008-2010, 2013'."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def load_definitions(
    path: Path | None = None, sources: dict[str, bool] | None = None
) -> list[Definition]:
    """Read and check the definitions file.

    `sources` maps each list's file id to whether it records agreements by
    year (then a definition must say which year); by default, the lists the
    build reads. A definition with `list` adds its own source, user_source(id),
    which other definitions may name in `sources` too.
    """
    path = path or definitions_file()
    sources = sources if sources is not None else {fid: spec.yearly for fid, spec in LISTS.items()}
    shown = paths.relative(path)
    try:
        doc = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SourceFormatError(
            shown,
            f"not valid TOML: {exc}",
            "Fix the syntax; each definition is a [[definition]] table.",
        ) from exc
    entries = doc.get("definition")
    if not isinstance(entries, list) or not entries:
        raise SourceFormatError(
            shown,
            "no [[definition]] tables found",
            "Each definition is a [[definition]] table; see docs/definitions.md.",
        )
    sources = {
        **sources,
        **{
            user_source(e["id"]): False
            for e in entries
            if isinstance(e, dict) and "list" in e and isinstance(e.get("id"), str)
        },
    }
    result: list[Definition] = []
    for number, entry in enumerate(entries, start=1):
        label = f"definition {entry.get('id', f'#{number}')!r}"

        def bad(problem: str, label: str = label) -> SourceFormatError:
            return SourceFormatError(
                shown,
                f"{label}: {problem}",
                "See docs/definitions.md for the fields of a definition.",
            )

        missing = [k for k in REQUIRED if k not in entry]
        if missing:
            raise bad(f"missing field(s) {', '.join(missing)}")
        unknown = sorted(set(entry) - set(REQUIRED) - set(LISTS_FROM) - set(OPTIONAL))
        if unknown:
            raise bad(
                f"unknown field(s) {', '.join(unknown)}; fields are "
                f"{', '.join(REQUIRED + LISTS_FROM + OPTIONAL)}"
            )
        given = [k for k in LISTS_FROM if k in entry]
        if len(given) != 1:
            raise bad(
                "give exactly one of `sources` (published list ids) and `list` (the path of "
                f"a CSV file of your own); it has {'both' if given else 'neither'}"
            )
        if not isinstance(entry["id"], str) or not ID_PATTERN.fullmatch(entry["id"]):
            raise bad(
                "id must be lower-case letters, digits and underscores, starting with a letter"
            )
        if entry["id"] in {d.id for d in result}:
            raise bad("the id is used twice")
        if entry["status"] not in STATUSES:
            raise bad(f"status {entry['status']!r} is not one of {', '.join(STATUSES)}")
        list_path = None
        if "list" in entry:
            if not isinstance(entry["list"], str) or not entry["list"].strip():
                raise bad("list must be the path of a CSV file, in quotes")
            list_path = user_list_path(entry["list"].strip())
            listed: tuple[str, ...] = (user_source(entry["id"]),)
        else:
            listed = _strings(entry, "sources", bad)
        for source in listed:
            if source not in sources:
                raise bad(f"unknown source {source!r}; the lists are {', '.join(sorted(sources))}")
        methods = _strings(entry, "methods", bad)
        for method in methods:
            if method not in METHODS:
                raise bad(f"unknown method {method!r}; methods are {', '.join(METHODS)}")
        kinds = _strings(entry, "kinds", bad) if "kinds" in entry else None
        for kind in kinds or ():
            if kind not in KINDS:
                raise bad(f"unknown kind {kind!r}; kinds are {', '.join(KINDS)}")
        for field in ("label", "title"):
            if field in entry and (not isinstance(entry[field], str) or not entry[field].strip()):
                raise bad(f"{field} must be text, in quotes")
        reading = entry.get("city_reading", _default_reading(methods))
        if reading not in CITY_READINGS:
            raise bad(f"city_reading {reading!r} is not one of {', '.join(CITY_READINGS)}")
        year = entry.get("year")
        yearly = [s for s in listed if sources[s]]
        if year is None and yearly:
            raise bad(f"{', '.join(yearly)} records agreements by year: give `year = YYYY`")
        if year is not None:
            if not isinstance(year, int) or isinstance(year, bool):
                raise bad(f"year must be a whole number, not {year!r}")
            if len(yearly) != len(listed):
                raise bad(
                    f"year is given, but {', '.join(s for s in listed if not sources[s])} "
                    "has no years; use one definition per kind of list"
                )
        result.append(
            Definition(
                id=entry["id"],
                title=str(entry["title"]),
                status=entry["status"],
                sources=listed,
                methods=methods,
                as_of=str(entry["as_of"]),
                caveats=str(entry["caveats"]).strip(),
                year=year,
                kinds=kinds,
                list_path=list_path,
                label=str(entry.get("label", "")).strip(),
                city_reading=reading,
            )
        )
    return result


def _default_reading(methods: tuple[str, ...]) -> str:
    """A definition that counts the counties around listed cities or whole states reads
    cities broadly too; one that counts only the jurisdictions named, strictly."""
    return "broad" if {"containing_county", "state"} & set(methods) else "strict"


def _strings(entry: dict, key: str, bad) -> tuple[str, ...]:
    value = entry[key]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise bad(f"{key} must be a non-empty list of strings")
    return tuple(value)


def classify(
    resolved: pd.DataFrame, definitions: list[Definition], universe: pd.Index
) -> pd.DataFrame:
    """One row per county of `universe` and definition: fips, definition, status, reason.

    `reason` lists the source rows behind a sanctuary or cooperating status;
    for `other` it lists the rows of the definition's lists that name the
    county but do not count (and why), or says that no row names it.
    """
    columns = ["source", "location", "raw", "method", "kind", "years_active", "fips"]
    named = resolved[columns].explode("fips").dropna(subset=["fips"])
    outside = sorted(set(named["fips"]) - set(universe))
    if outside:
        raise ValidationError(f"resolved rows name counties outside the universe: {outside[:10]}")
    named["label"] = (
        named["source"]
        + " "
        + named["location"]
        + " "
        + named["raw"].map(repr)
        + " ("
        + named["method"]
        + ")"
    )
    frames = []
    for definition in definitions:
        rows = named[named["source"].isin(definition.sources)]
        counts = definition.counts(rows)
        listed = rows[counts].groupby("fips")["label"].agg(lambda s: "; ".join(dict.fromkeys(s)))
        skipped = rows[~counts]
        not_counted = pd.Series(
            [f"{r.label}: {definition.why_not(r)}" for r in skipped.itertuples()],
            index=skipped["fips"].to_numpy(),
            dtype=object,
        )
        not_counted = not_counted.groupby(level=0).agg(lambda s: "; ".join(dict.fromkeys(s)))
        status = pd.Series(OTHER, index=universe, dtype=object)
        status[listed.index] = definition.status
        reason = pd.Series(
            f"no row of {', '.join(definition.sources)} names this county",
            index=universe,
            dtype=object,
        )
        reason[not_counted.index] = "not counted: " + not_counted
        reason[listed.index] = "listed: " + listed
        frames.append(
            pd.DataFrame(
                {
                    "fips": universe.to_numpy(),
                    "definition": definition.id,
                    "status": status.to_numpy(),
                    "reason": reason.to_numpy(),
                }
            )
        )
    table = pd.concat(frames, ignore_index=True)
    return table.astype({c: "string" for c in table.columns})


def check_table(table: pd.DataFrame, definitions: list[Definition], universe: pd.Index) -> None:
    """Every county exactly once per definition, statuses from the definition."""
    problems = []
    for definition in definitions:
        part = table[table["definition"] == definition.id]
        if len(part) != len(universe) or set(part["fips"]) != set(universe):
            problems.append(f"{definition.id}: {len(part)} rows for {len(universe)} counties")
        if part["fips"].duplicated().any():
            problems.append(f"{definition.id}: a county appears twice")
        wrong = set(part["status"]) - {definition.status, OTHER}
        if wrong:
            problems.append(f"{definition.id}: unexpected status {sorted(wrong)}")
    if problems:
        raise ValidationError("the definitions table breaks its contract: " + "; ".join(problems))


# Kinds of row whose county or state a broad city reading extends to every city in it.
AREA_KINDS = ("county", "state", "statewide")


def classify_places(
    resolved: pd.DataFrame, definitions: list[Definition], places: pd.DataFrame
) -> pd.DataFrame:
    """One row per place of `places` (place, state, county: the city panel's places) and
    definition: place, definition, status, reason, reading, enacted.

    A definition's rows (its sources, kinds and year) mark the places they name (`places`
    of the resolution) in either reading; in the broad reading the county and state rows
    its county reading counts (its `methods`) also mark every place whose county, or
    state, they name. `enacted` is the earliest date of the rows that mark a
    place (the policy's date, where the list dates policies).
    """
    rows = resolved[resolved["method"] != "unresolved"].copy()
    rows["label"] = rows["source"] + " " + rows["location"] + " " + rows["raw"].map(repr)
    county_of = places.set_index("place")["county"]
    state_of = places.set_index("place")["state"]
    universe = pd.Index(places["place"])
    frames = []
    for definition in definitions:
        part = rows[definition.marks_rows(rows)]
        marks = [
            (place, f"listed: {r.label}", r.date)
            for r in part.itertuples()
            for place in r.places
            if place in county_of.index
        ]
        if definition.city_reading == "broad":
            # Only the rows the county reading counts reach the cities of their areas:
            # a state agency's 287(g) agreement marks no county, and no city either.
            areas = part[part["kind"].isin(AREA_KINDS) & part["method"].isin(definition.methods)]
            by_county = areas[areas["kind"] == "county"].explode("fips").dropna(subset=["fips"])
            in_county = county_of[county_of.isin(set(by_county["fips"]))]
            first = by_county.groupby("fips").agg(label=("label", "first"), date=("date", "min"))
            marks += [
                (
                    place,
                    f"in a listed county: {first.at[county, 'label']}",
                    first.at[county, "date"],
                )
                for place, county in in_county.items()
            ]
            states = areas[areas["kind"].isin(("state", "statewide"))]
            for r in states.itertuples():
                marks += [
                    (place, f"in a listed state: {r.label}", r.date)
                    for place in state_of.index[state_of == r.state]
                ]
        found = pd.DataFrame(marks, columns=["place", "reason", "date"])
        found["date"] = found["date"].where(found["date"].astype(str).str.len() > 0)
        grouped = found.groupby("place").agg(
            reason=("reason", lambda s: "; ".join(dict.fromkeys(s))),
            enacted=("date", "min"),
        )
        status = pd.Series(OTHER, index=universe, dtype=object)
        status[grouped.index] = definition.status
        reason = pd.Series(
            f"no row of {', '.join(definition.sources)} names this city"
            + (" or its county or state" if definition.city_reading == "broad" else ""),
            index=universe,
            dtype=object,
        )
        reason[grouped.index] = grouped["reason"]
        frames.append(
            pd.DataFrame(
                {
                    "place": universe.to_numpy(),
                    "definition": definition.id,
                    "status": status.to_numpy(),
                    "reason": reason.to_numpy(),
                    "reading": definition.city_reading,
                    "enacted": grouped["enacted"].reindex(universe).to_numpy(),
                }
            )
        )
    table = pd.concat(frames, ignore_index=True)
    return table.astype({c: "string" for c in table.columns})


def classify_states(
    resolved: pd.DataFrame, definitions: list[Definition], counties: pd.Index
) -> pd.DataFrame:
    """One row per state (the 50 and DC) and definition: state, definition, status,
    reason, enacted.

    A definition marks a state as a whole when a row that speaks for it (its sources,
    kinds and year) names every county of the state: a state law, a statewide jail
    policy, a state on the DOJ's or DHS's list, the District of Columbia however named.
    A state with only some of its counties or cities listed is `other` in this reading.
    `enacted` is the earliest date of those rows. `counties`: every county's FIPS.
    """
    by_state = pd.Series(counties, index=counties).groupby(lambda f: f[:2]).agg(frozenset)
    postal = {fips: code for code, fips in STATE_FIPS.items()}
    rows = resolved[resolved["method"] != "unresolved"].copy()
    whole = rows["fips"].map(lambda codes: _whole_state(codes, by_state))
    rows = rows.assign(whole_state=whole.map(lambda f: postal.get(f) if f else None))
    rows = rows.dropna(subset=["whole_state"])
    rows["label"] = rows["source"] + " " + rows["location"] + " " + rows["raw"].map(repr)
    universe = pd.Index(sorted(STATE_FIPS))
    frames = []
    for definition in definitions:
        part = rows[definition.marks_rows(rows)]
        part = part.assign(date=part["date"].where(part["date"].astype(str).str.len() > 0))
        grouped = part.groupby("whole_state").agg(
            reason=("label", lambda s: "listed as a whole state: " + "; ".join(dict.fromkeys(s))),
            enacted=("date", "min"),
        )
        status = pd.Series(OTHER, index=universe, dtype=object)
        status[grouped.index] = definition.status
        reason = pd.Series(
            f"no row of {', '.join(definition.sources)} names the whole state",
            index=universe,
            dtype=object,
        )
        reason[grouped.index] = grouped["reason"]
        frames.append(
            pd.DataFrame(
                {
                    "state": universe.to_numpy(),
                    "definition": definition.id,
                    "status": status.to_numpy(),
                    "reason": reason.to_numpy(),
                    "enacted": grouped["enacted"].reindex(universe).to_numpy(),
                }
            )
        )
    table = pd.concat(frames, ignore_index=True)
    return table.astype({c: "string" for c in table.columns})


def _whole_state(codes, by_state: pd.Series) -> str | None:
    """The state FIPS of a row whose counties are every county of one state, else None."""
    codes = frozenset(codes if codes is not None else ())
    if not codes:
        return None
    state = next(iter(codes))[:2]
    return state if by_state.get(state) == codes else None
