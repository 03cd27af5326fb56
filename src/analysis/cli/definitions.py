"""`python -m analysis definitions`: the definitions, and how each row of their lists counts.

    python -m analysis definitions                         # id, status, counties, as_of, title
    python -m analysis definitions show ice2014            # each row of its list, and why
    python -m analysis definitions show ice2014 --format csv

Both read the built tables (data/processed, `make data`); nothing is rebuilt. An
unknown definition or format is an error listing the valid ones.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys

FORMATS = ("table", "csv", "json")
# Widest a cell of the `show` table may be; the reason, last, is never cut.
SHOW_WIDTHS = {"name": 34, "kind": 9, "method": 17, "fips": 29, "counties": 40}
LIST_COLUMNS = ["id", "status", "counties", "as_of", "title"]


def add_parsers(sub) -> None:
    d = sub.add_parser(
        "definitions",
        help="list the sanctuary and cooperating definitions, or show one row by row",
        description="List the definitions (id, status, counties marked, as_of, title), or "
        "with `show ID` every row of that definition's lists: what it resolved to and why "
        "it counts, does not count, or is unresolved.",
    )
    d.add_argument("--format", default="table", help="table (default), csv or json")
    d.set_defaults(run=run_list)
    actions = d.add_subparsers(dest="action")
    show = actions.add_parser("show", help="every row of one definition's lists, and why")
    show.add_argument("id", help="definition id, e.g. ice2014")
    # SUPPRESS: `definitions --format csv show ID` keeps the format given before `show`.
    show.add_argument("--format", default=argparse.SUPPRESS, help="table (default), csv or json")
    show.set_defaults(run=run_show)


def _check_format(fmt: str) -> None:
    from ..core.errors import UnknownChoice

    if fmt not in FORMATS:
        raise UnknownChoice("format", fmt, FORMATS)


def run_list(args) -> None:
    from ..core import paths
    from ..jurisdictions.definitions import load_definitions
    from ..jurisdictions.tables import list_definitions

    _check_format(args.format)
    listing = list_definitions().reset_index()
    if "counties" not in listing.columns:
        listing["counties"] = None  # not built yet
    lists = {d.id: d.list_path for d in load_definitions()}
    listing["list"] = [paths.relative(lists[i]) if lists[i] else None for i in listing["id"]]
    if args.format == "csv":
        sys.stdout.write(listing.to_csv(index=False))
    elif args.format == "json":
        sys.stdout.write(json.dumps(_records(listing), indent=1, ensure_ascii=False) + "\n")
    else:
        shown = listing[LIST_COLUMNS].copy()
        shown["counties"] = [_count(n) for n in shown["counties"]]
        sys.stdout.write(_text_table(shown, {}, fit_last=True, numeric={"counties"}))


def run_show(args) -> None:
    from ..jurisdictions.tables import definition_rows, list_definitions

    _check_format(args.format)
    rows = definition_rows(args.id)
    out = rows[
        [
            "source",
            "row",
            "raw",
            "name",
            "state",
            "kind",
            "date",
            "method",
            "fips",
            "county_names",
            "counts",
            "reason",
        ]
    ].copy()
    out["fips"] = out["fips"].map(list)
    # What the list says of each row (a law's note and its source), in the files only.
    full = out.assign(policy=rows["policy"], detail=rows["detail"])
    out["county_names"] = out["county_names"].map(list)
    if args.format == "json":
        sys.stdout.write(json.dumps(_records(full), indent=1, ensure_ascii=False) + "\n")
        return
    if args.format == "csv":
        flat = full.assign(
            fips=full["fips"].map(" ".join), county_names=full["county_names"].map("; ".join)
        )
        sys.stdout.write(flat.to_csv(index=False))
        return
    about = list_definitions().loc[args.id]
    lines = [f"{args.id}: {about['title']}"]
    counties = _count(about.get("counties"))
    for source, part in out.groupby("source", sort=False):
        counted = int(part["counts"].sum())
        unresolved = int((part["method"] == "unresolved").sum())
        lines.append(
            f"{source}: {len(part)} rows, {counted} count, "
            f"{len(part) - counted - unresolved} do not count, {unresolved} unresolved"
        )
    lines.append(f"{counties} counties marked {about['status']}")
    table = out.assign(
        fips=[_codes(c) for c in out["fips"]],
        counties=[
            _names(n, m, s) for n, m, s in zip(out["county_names"], out["method"], out["state"])
        ],
    )[["row", "name", "state", "kind", "method", "fips", "counties", "reason"]]
    if out["source"].nunique() > 1:
        table.insert(0, "list", out["source"])
    sys.stdout.write("\n".join(lines) + "\n\n" + _text_table(table, SHOW_WIDTHS, numeric={"row"}))


def _count(value) -> str:
    try:
        return str(int(value))
    except (TypeError, ValueError):
        return "not built"


def _codes(codes: list[str]) -> str:
    return " ".join(codes) if len(codes) <= 5 else f"{codes[0]} ... {codes[-1]} ({len(codes)})"


def _names(names: list[str], method: str, state: str) -> str:
    if method == "state":
        return f"every county of {state} ({len(names)})"
    if len(names) <= 2:
        return ", ".join(names)
    return f"{names[0]}, {names[1]} and {len(names) - 2} more"


def _records(frame) -> list[dict]:
    """Rows as plain JSON values (parquet gives numpy arrays, pandas NA)."""
    import pandas as pd

    def plain(value):
        if isinstance(value, list):
            return value
        if hasattr(value, "item"):
            return value.item()
        return None if pd.isna(value) else value

    return [{k: plain(v) for k, v in rec.items()} for rec in frame.to_dict("records")]


def _text_table(frame, widths: dict[str, int], fit_last: bool = False, numeric=()) -> str:
    """Columns padded to their widest cell (cut at `widths`), numbers to the right; the
    last column runs on, or is cut to the terminal when `fit_last`."""
    columns = list(frame.columns)
    cells = {c: ["" if v is None else str(v) for v in frame[c]] for c in columns}
    for column, cap in widths.items():
        if column in cells:
            cells[column] = [_cut(v, cap) for v in cells[column]]
    width = {c: max([len(c), *map(len, cells[c])]) for c in columns}
    if fit_last:
        room = shutil.get_terminal_size((120, 24)).columns
        used = sum(width[c] + 2 for c in columns[:-1])
        last = columns[-1]
        if room - used >= 20:
            cells[last] = [_cut(v, room - used) for v in cells[last]]
            width[last] = max([len(last), *map(len, cells[last])])
        else:  # no room for it: leave it out rather than wrap every line
            columns = columns[:-1]

    def line(values: dict[str, str]) -> str:
        parts = []
        for i, c in enumerate(columns):
            if c in numeric:
                parts.append(values[c].rjust(width[c]))
            elif i == len(columns) - 1:
                parts.append(values[c])
            else:
                parts.append(values[c].ljust(width[c]))
        return "  ".join(parts).rstrip()

    out = [line({c: c for c in columns})]
    out += [line({c: cells[c][i] for c in columns}) for i in range(len(frame))]
    return "\n".join(out) + "\n"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."
