"""Build the definitions: lists -> resolved rows -> one status per county and definition.

Writes data/processed/jurisdictions.parquet (every list row and how it
resolved), data/processed/definitions.parquet (fips, definition, status,
reason) and data/processed/definitions.log.json (the row account of every
file read, the unresolved rows with their reasons, the rows whose own FIPS
disagrees with their name, and the counts per definition).

The build stops when a definitions or alias line is malformed, when an alias
line matches no row, or when a county-level row names no county.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import paths
from ..atomic import write_json, write_parquet
from ..buildlog import BuildLog
from ..errors import ValidationError
from . import gazetteer
from .definitions import OTHER, check_table, classify, load_definitions
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
from .tables import definitions_path, log_path, resolution_path


@dataclass
class Built:
    definitions: pd.DataFrame
    resolution: pd.DataFrame
    seconds: float


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
    gaz = gazetteer.load(log)
    frames = []
    for file_id, spec in LISTS.items():
        path, account = log.open(file_id)
        frames.append(spec.reader(path, account, gaz.state_abbr))
    rows = pd.concat(frames, ignore_index=True)

    resolver = Resolver(gaz, load_aliases(aliases, gaz, set(LISTS)), aliases)
    resolved = resolve_rows(rows, resolver)
    unused = resolver.unused_aliases()
    if unused:
        raise ValidationError(
            f"{paths.relative(aliases)}: line(s) that match no row of the lists: "
            + "; ".join(f"line {a.line} ({a.source}, {a.state}, {a.name!r})" for a in unused)
            + ". Fix the name or state, or remove the line."
        )
    require_county_rows_resolved(resolved)
    disagreements = check_source_fips(resolved)

    table = classify(resolved, specs, gaz.universe)
    check_table(table, specs, gaz.universe)
    seconds = time.perf_counter() - started
    if write:
        write_parquet(resolution_path(), resolved)
        write_parquet(definitions_path(), table)
        write_json(
            log_path(),
            _log(
                log,
                resolved,
                table,
                disagreements,
                seconds,
                outputs=[resolution_path(), definitions_path()],
            ),
        )
    return Built(table, resolved, seconds)


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
