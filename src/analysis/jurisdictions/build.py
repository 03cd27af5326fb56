"""Build the definitions: lists -> resolved rows -> one status per county and definition.

Writes data/processed/jurisdictions.parquet (every list row, how it resolved
and the names of its counties), data/processed/definitions.parquet (fips,
definition, status, reason) and data/processed/definitions.log.json (the row
account of every file read, the unresolved rows with their reasons, the rows
whose own FIPS disagrees with their name, the counts per definition and, for
each list a user registered with `list`, its path, sha256 and rows).

The build stops when a definitions or alias line is malformed, when an alias
line matches no row, when a user's list cannot be read, or when a county-level
row names no county (for a user's list, with the closest Census names). City
rows of a user's list that stay unresolved are warnings (`Built.warnings`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import sources
from ..core import paths
from ..core.atomic import write_json, write_parquet
from ..core.errors import ValidationError
from ..names import gazetteer
from ..names.places import Placer
from ..panels.load import city_panel_path, load_panel
from ..panels.units import STATE
from ..readers.places import read_place_counties
from ..sources.buildlog import BuildLog, FileAccount
from . import user_lists
from .definitions import (
    OTHER,
    Definition,
    check_table,
    classify,
    classify_places,
    classify_states,
    definitions_file,
    load_definitions,
)
from .places import attach_places, coextensive_places
from .readers import LISTS
from .resolve import (
    UNRESOLVED,
    Resolver,
    aliases_file,
    check_source_fips,
    load_aliases,
    require_county_rows_resolved,
    resolve_rows,
)
from .tables import city_definitions_path, definitions_path, log_path, resolution_path


@dataclass
class Built:
    definitions: pd.DataFrame
    resolution: pd.DataFrame
    seconds: float
    warnings: list[str] = field(default_factory=list)  # for the person running the build
    city_definitions: pd.DataFrame | None = None  # when the city panel is built
    state_definitions: pd.DataFrame | None = None


def build_definitions(
    raw_dir: Path | None = None,
    definitions: Path | None = None,
    aliases: Path | None = None,
    write: bool = True,
) -> Built:
    started = time.perf_counter()
    specs = load_definitions(definitions)  # a broken definitions file fails before any reading
    aliases = aliases or aliases_file()
    log = BuildLog("definitions", raw_dir)
    own = [d for d in specs if d.list_path is not None]
    accounts = {d.sources[0]: _open_user_list(d, definitions, log) for d in own}
    gaz = gazetteer.load(log)
    frames = []
    for file_id, spec in LISTS.items():
        path, account = log.open(file_id)
        frames.append(spec.reader(path, account, gaz.state_abbr))
    for definition in own:
        source = definition.sources[0]
        frames.append(
            user_lists.read_user_list(
                definition.list_path,
                accounts[source],
                gaz.state_abbr,
                source,
                state_names=gaz.states["state_name"],
            )
        )
    rows = pd.concat(frames, ignore_index=True)

    files = {d.sources[0]: d.list_path for d in own}
    resolver = Resolver(gaz, load_aliases(aliases, gaz, set(LISTS) | set(files)), aliases)
    resolved = resolve_rows(rows, resolver)
    closest = user_lists.suggest_names(resolved, gaz, set(files))
    unused = resolver.unused_aliases()
    if unused:
        raise ValidationError(
            f"{paths.relative(aliases)}: line(s) that match no row of the lists: "
            + "; ".join(f"line {a.line} ({a.source}, {a.state}, {a.name!r})" for a in unused)
            + ". Fix the name or state, or remove the line."
        )
    user_lists.require_rows_resolved(resolved, files)
    require_county_rows_resolved(resolved)
    disagreements = check_source_fips(resolved)
    resolved["county_names"] = resolved["fips"].map(
        lambda codes: [gaz.county_name(f) for f in codes]
    )

    table = classify(resolved, specs, gaz.universe)
    check_table(table, specs, gaz.universe)
    cities = _city_universe()
    city_table = None
    if cities is not None:
        _name_places(resolved, log, gaz)
        city_table = classify_places(resolved, specs, cities)
    state_table = classify_states(resolved, specs, gaz.universe)
    warnings = [f"{a.path}: {note}" for a in accounts.values() for note in a.notes]
    warnings += user_lists.unresolved_warnings(resolved, files)
    seconds = time.perf_counter() - started
    if write:
        write_parquet(resolution_path(), resolved)
        write_parquet(definitions_path(), table)
        write_parquet(STATE.definitions_path(), state_table)
        outputs = [resolution_path(), definitions_path(), STATE.definitions_path()]
        if city_table is not None:
            write_parquet(city_definitions_path(), city_table)
            outputs.append(city_definitions_path())
        doc = _log(log, resolved, table, disagreements, seconds, outputs=outputs)
        if city_table is not None:
            marked = city_table[city_table["status"] != OTHER]
            doc["city_definitions"] = {
                d: {"reading": str(part["reading"].iloc[0]), "places": int(len(part))}
                for d, part in marked.groupby("definition")
            }
            # City rows that name no place of the city panel: no city to mark in either
            # reading (a misspelt name resolved by an alias, a city the FBI's table lacks).
            cities = set(city_table["place"])
            doc["city_rows_without_place"] = [
                {
                    "source": r.source,
                    "row": r.location,
                    "entry": r.raw,
                    "state": r.state,
                    "method": r.method,
                    "places": list(r.places),
                    "reason": "no Census place found for the name"
                    if not len(r.places)
                    else "the place is not in the FBI's city table in 2010-2019",
                }
                for r in resolved[resolved["kind"] == "city"].itertuples()
                if not set(r.places) & cities
            ]
        marked = state_table[state_table["status"] != OTHER]
        doc["state_definitions"] = {
            d: sorted(part["state"]) for d, part in marked.groupby("definition")
        }
        doc["user_lists"] = [
            _user_list_entry(d, accounts[d.sources[0]], resolved, closest) for d in own
        ]
        write_json(log_path(), doc)
    return Built(table, resolved, seconds, warnings, city_table, state_table)


def _city_universe() -> pd.DataFrame | None:
    """The city panel's places (place, state, county), or None before it is built: the
    definitions of cities need it, and the counties' do not."""
    if not city_panel_path().exists():
        return None
    cities = load_panel(unit="city", columns=["state", "county"])
    return cities.drop_duplicates("place")[["place", "state", "county"]]


def _name_places(resolved: pd.DataFrame, log: BuildLog, gaz) -> None:
    """The Census places each row names (jurisdictions.places)."""
    path, account = log.open("geocorr-2018-county-place")
    coextensive = coextensive_places(read_place_counties(path, account))
    state_fips = dict(zip(gaz.states["state_abbr"], gaz.states["state_fips"]))
    attach_places(resolved, coextensive, Placer.load(log), state_fips)


def _open_user_list(definition: Definition, definitions: Path | None, log: BuildLog) -> FileAccount:
    """Start the account of a user's list, with its sha256, as log.open does for the
    registry's files."""
    path = definition.list_path
    if not path.is_file():
        raise user_lists.UserListError(
            path,
            f"no such file: the list of definition {definition.id!r} "
            f"({paths.relative(definitions or definitions_file())}) was looked for at {path}",
            f"Fix `list`, or put the file there; a relative path is read from the project "
            f"root ({paths.root()}).",
            value=str(path),
        )
    account = FileAccount(definition.sources[0], paths.relative(path), sources.sha256_of(path))
    log.files.append(account)
    return account


def _user_list_entry(
    definition: Definition,
    account: FileAccount,
    resolved: pd.DataFrame,
    closest: dict,
) -> dict:
    rows = resolved[resolved["source"] == account.file_id]
    unresolved = rows[rows["method"] == UNRESOLVED]
    return {
        "definition": definition.id,
        "source": account.file_id,
        "path": account.path,
        "sha256": account.sha256,
        "rows": int(len(rows)),
        "kind_guessed": int(rows["flags"].map(lambda f: "kind_guessed" in f).sum()),
        "by_method": {m: int(n) for m, n in rows["method"].value_counts().sort_index().items()},
        "unresolved": [
            {
                "row": int(r.row),
                "entry": r.raw,
                "kind": r.kind,
                "state": r.state,
                "reason": r.unresolved_reason,
                "closest": closest.get(i, []),
            }
            for i, r in zip(unresolved.index, unresolved.itertuples())
        ],
    }


def _log(
    log: BuildLog,
    resolved: pd.DataFrame,
    table: pd.DataFrame,
    disagreements: list[dict],
    seconds: float,
    outputs: list[Path],
) -> dict:
    doc = log.as_dict(outputs)
    by_method = resolved.groupby(["source", "method"]).size()
    unresolved = resolved[resolved["method"] == UNRESOLVED]
    doc["resolution"] = {
        "rows": {s: int(n) for s, n in resolved.groupby("source").size().items()},
        "by_method": {
            s: {m: int(n) for m, n in by_method[s].items()}
            for s in by_method.index.get_level_values(0).unique()
        },
        "by_alias_table": int(resolved["alias_line"].notna().sum()),
        "unresolved": [
            {
                "source": r.source,
                "row": r.location,
                "entry": r.raw,
                "kind": r.kind,
                "state": r.state,
                "reason": r.unresolved_reason,
            }
            for r in unresolved.itertuples()
        ],
        "source_fips_disagreements": disagreements,
    }
    marked = table[table["status"] != OTHER].groupby(["definition", "status"]).size()
    doc["definitions"] = {d: {s: int(n)} for (d, s), n in marked.items()}
    doc["seconds"] = round(seconds, 2)
    return doc
