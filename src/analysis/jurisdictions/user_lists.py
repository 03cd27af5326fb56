"""A list a user brings: a CSV file of jurisdictions, read into the rows every list has.

Some lists were never published as files: the Ohio Jobs & Justice PAC list (2017),
ICE's Declined Detainer Outcome Reports (January-April 2017), the ILRC county data
behind the 608 counties of the 2017 CAP report. A definition registers such a list
with `list = "path/to/file.csv"` in data/definitions.toml; the build reads it here
and resolves its rows with the resolver, aliases and checks of the published lists
(source id `list:<definition id>`).

The file has a header line and one line per jurisdiction:

- `jurisdiction` (required): the name, as the list writes it;
- `state` (required): the state's name or postal code;
- `kind`: county, city or state. Blank, or no such column: guessed from the name
  (`guess_kind`) and the row flagged `kind_guessed`;
- `enacted`: YYYY or YYYY-MM, kept in the row's `date` as written ("2017",
  "2017-03"), the form the other lists use;
- `source` (kept in `detail`: where the row comes from) and `note` (kept in
  `policy`: what the list says about the jurisdiction).

Anything wrong with the file stops the build with a UserListError that names the
file, the line and the value, and says what to change.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable
from difflib import get_close_matches
from pathlib import Path

import pandas as pd

from ..core import paths
from ..core.errors import SourceFormatError
from ..names.gazetteer import Gazetteer, name_key
from ..sources.buildlog import FileAccount
from .readers import StateLookup, row_frame
from .resolve import COUNTY_LEVEL_KINDS, UNRESOLVED

REQUIRED_COLUMNS = ("jurisdiction", "state")
OPTIONAL_COLUMNS = ("kind", "enacted", "source", "note")
LIST_KINDS = ("county", "city", "state")
FORMAT_HELP = (
    "The first line names the columns: jurisdiction and state (required); kind, enacted, "
    "source and note (optional). See docs/definitions.md, 'Bringing your own list'."
)
# An `enacted` year before this is a typing error, not a policy's date.
EARLIEST_YEAR = 1900

# The word ending a county-equivalent's name, and the states where it does: a
# Pennsylvania or New Jersey borough is a municipality, an Alaska borough a county.
_COUNTY_WORD = re.compile(
    r"\s(County|Parish|City and Borough|Borough|Census Area|Municipality)$", re.I
)
_COUNTY_WORD_STATES = {
    "county": None,
    "parish": {"LA"},
    "city and borough": {"AK"},
    "borough": {"AK"},
    "census area": {"AK"},
    "municipality": {"AK"},
}
# A county agency written by its name ("Suffolk County Sheriff's Office"): ICE's reports
# name jails and sheriffs, and the county is what they serve.
_COUNTY_AGENCY = re.compile(
    r"(.+?\s(?:County|Parish))\s+(?:Sheriff|Jail|Detention|Correction|Adult|Police|"
    r"Department|Office)\b.*",
    re.I,
)
_STATE_OF = re.compile(r"^(?:State|Commonwealth) of\s+", re.I)
_ENACTED = re.compile(r"(\d{4})(?:-(\d{2}))?")
_UNNAMED = "unnamed column "  # a header cell left empty


class UserListError(SourceFormatError):
    """A user's list that cannot be read as written."""

    def __init__(
        self, path, problem: str, action: str, line: int | None = None, value: object = None
    ):
        self.line, self.value = line, value
        super().__init__(path, (f"line {line}: " if line is not None else "") + problem, action)


def read_user_list(
    path: Path,
    account: FileAccount,
    state_abbr: StateLookup,
    source: str,
    state_names: Iterable[str] = (),
) -> pd.DataFrame:
    """The list's rows (readers.ROW_COLUMNS), `row` being the line of the file."""
    header_line, header, records = _records(path)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise UserListError(
            path,
            f"missing column(s) {', '.join(missing)}; the header is {','.join(header)!r}",
            FORMAT_HELP,
            line=header_line,
            value=",".join(header),
        )
    cells = pd.DataFrame(
        [dict(zip(header, _fit(record, header, path, line))) for line, record in records],
        columns=header,
    )
    empty = cells.apply(lambda column: column.str.strip() == "")
    ignored = [
        c
        for c in header
        if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS
        and not (c.startswith(_UNNAMED) and empty[c].all())  # a spreadsheet's trailing commas
    ]
    if ignored:
        account.notes.append(f"column(s) not read: {', '.join(ignored)}")
    cells = account.read(cells.assign(_line=[line for line, _ in records]))
    cells = account.drop(cells, empty.all(axis=1), "blank row (every cell empty)", key="_line")
    if cells.empty:
        raise UserListError(
            path,
            "no data rows under the header",
            "Add one line per jurisdiction under the header, e.g. 'Multnomah County,OR'.",
        )
    state_names = list(state_names)
    rows = [_row(rec, path, state_abbr, state_names) for rec in cells.to_dict("records")]
    _refuse_duplicates(rows, path)
    guessed = [r["row"] for r in rows if "kind_guessed" in r["flags"]]
    if guessed:
        account.notes.append(
            f"kind guessed from the name for {len(guessed)} row(s) (flag kind_guessed): "
            f"lines {', '.join(map(str, guessed))}"
        )
    return account.keep(row_frame(rows, source))


def _records(path: Path) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    """The header (names stripped, lower case) and every later record with the
    line it starts on; empty lines are not records."""
    numbered: list[tuple[int, list[str]]] = []
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            end = 0
            for record in reader:
                start, end = end + 1, reader.line_num
                if record:
                    numbered.append((start, record))
    except UnicodeDecodeError as exc:
        raise UserListError(
            path,
            f"not UTF-8 text (byte {exc.start}: {exc.reason})",
            "Save the file as 'CSV UTF-8' (a spreadsheet's plain 'CSV' may use another "
            "encoding, which garbles accented names).",
        ) from exc
    except csv.Error as exc:
        raise UserListError(path, f"not readable as CSV: {exc}", FORMAT_HELP, line=end + 1) from exc
    if not numbered:
        raise UserListError(path, "the file is empty", FORMAT_HELP)
    header_line, first = numbered[0]
    header = [h.strip().lower() or f"{_UNNAMED}{i}" for i, h in enumerate(first, start=1)]
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        raise UserListError(
            path,
            f"column(s) {', '.join(map(repr, repeated))} appear twice in the header",
            "Keep one column of each name.",
            line=header_line,
            value=",".join(first),
        )
    return header_line, header, numbered[1:]


def _fit(record: list[str], header: list[str], path: Path, line: int) -> list[str]:
    """A record as long as the header: short ones padded, long ones an error unless
    the extra cells are empty (trailing commas)."""
    extra = record[len(header) :]
    if any(cell.strip() for cell in extra):
        raise UserListError(
            path,
            f"{len(record)} fields, but the header has {len(header)}: {','.join(record)!r}",
            "A value with a comma in it ('Suffolk County, New York') must be in double "
            "quotes, or split into the jurisdiction and state columns.",
            line=line,
            value=",".join(record),
        )
    return record[: len(header)] + [""] * (len(header) - len(record))


def _row(rec: dict, path: Path, state_abbr: StateLookup, state_names: list[str]) -> dict:
    line = rec["_line"]
    raw = rec["jurisdiction"]
    name = " ".join(raw.split())
    if not name:
        raise UserListError(
            path,
            f"jurisdiction is empty (state {rec['state'].strip()!r})",
            "Write the jurisdiction's name, or delete the line.",
            line=line,
            value=raw,
        )
    state = _state(rec["state"], name, path, line, state_abbr, state_names)
    flags: list[str] = []
    kind = rec.get("kind", "").strip().lower()
    if not kind:
        kind = guess_kind(name, state, state_abbr)
        flags.append("kind_guessed")
    elif kind not in LIST_KINDS:
        raise UserListError(
            path,
            f"kind {rec['kind'].strip()!r} of {name!r} is not one of {', '.join(LIST_KINDS)}",
            "Write county, city or state, or leave the cell blank to have the kind guessed "
            "from the name (a city for a town, village, township or borough).",
            line=line,
            value=rec["kind"],
        )
    elif kind == "state" and state_abbr(_STATE_OF.sub("", name)) != state:
        raise UserListError(
            path,
            f"kind 'state' for {name!r}, which is not the name of {state}: a state row marks "
            "every county of the state",
            f"Write the state's name ('{rec['state'].strip()}') as the jurisdiction, or give "
            "kind county or city.",
            line=line,
            value=name,
        )
    agency = _COUNTY_AGENCY.fullmatch(name) if kind == "county" else None
    if agency:
        name = agency.group(1)
        flags.append("agency_name")
    enacted = rec.get("enacted", "")
    return {
        "row": line,
        "location": f"line {line}",
        "listed_as": rec.get("kind", "").strip() or None,
        "raw": raw,
        "name": name,
        "state": state,
        "kind": kind,
        "date": parse_enacted(enacted, path, line),
        "date_as_written": enacted.strip() or None,
        "policy": rec.get("note", "").strip() or None,
        "detail": rec.get("source", "").strip() or None,
        "flags": flags,
    }


def _state(
    text: str, name: str, path: Path, line: int, state_abbr: StateLookup, state_names: list[str]
) -> str:
    abbr = state_abbr(text) if text.strip() else None
    if abbr:
        return abbr
    near = get_close_matches(text.strip(), state_names, n=1, cutoff=0.6)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    raise UserListError(
        path,
        f"state {text.strip()!r} of {name!r} is not a US state or DC{hint}",
        "Write the state's full name ('New York') or its postal code ('NY').",
        line=line,
        value=text,
    )


def guess_kind(name: str, state: str, state_abbr: StateLookup) -> str:
    """What a name without a kind most likely names: its state ("Oregon", "State of
    Oregon"); a county ("... County"; "... Parish" in Louisiana; "... Borough", "...
    Census Area", "... City and Borough", "... Municipality" in Alaska; a county
    agency such as "... County Sheriff's Office"); otherwise a city, town or village.
    Virginia's independent cities ("Richmond city") and consolidated city-counties are
    cities here: the resolver finds them as county-equivalents."""
    if state_abbr(_STATE_OF.sub("", name)) == state:
        return "state"
    word = _COUNTY_WORD.search(name)
    if word:
        states = _COUNTY_WORD_STATES[word.group(1).lower()]
        if states is None or state in states:
            return "county"
    if _COUNTY_AGENCY.fullmatch(name):
        return "county"
    return "city"


def parse_enacted(text: str, path: Path, line: int) -> str | None:
    """'2017' -> '2017', '2017-03' -> '2017-03'; blank -> None."""
    text = text.strip()
    if not text:
        return None
    match = _ENACTED.fullmatch(text)
    if match:
        year, month = int(match.group(1)), match.group(2)
        if EARLIEST_YEAR <= year <= dt.date.today().year and (
            month is None or 1 <= int(month) <= 12
        ):
            return text
    raise UserListError(
        path,
        f"enacted {text!r} is not a year (YYYY) or a month (YYYY-MM) between "
        f"{EARLIEST_YEAR} and today",
        "Write e.g. 2017 or 2017-03, or leave the cell blank. A spreadsheet may have turned "
        "the value into a date: format the column as text before saving.",
        line=line,
        value=text,
    )


def _refuse_duplicates(rows: list[dict], path: Path) -> None:
    seen: dict[tuple[str, str, str], dict] = {}
    for row in rows:
        key = (name_key(row["name"]), row["state"], row["kind"])
        if key in seen:
            first = seen[key]
            raise UserListError(
                path,
                f"{row['raw']!r} ({row['kind']}, {row['state']}) repeats line {first['row']} "
                f"({first['raw']!r})",
                "List each jurisdiction once: delete one of the lines (keep the earliest "
                "`enacted`), or give the kinds if they name different jurisdictions.",
                line=row["row"],
                value=row["raw"],
            )
        seen[key] = row


# --- after resolution -------------------------------------------------------------


def suggest_names(resolved: pd.DataFrame, gaz: Gazetteer, sources: set[str]) -> dict:
    """Add the closest Census names to the reason of each unresolved row of the user
    lists `sources` (not those an alias line declared to name no county). Returns
    {row index: closest names}."""
    unresolved = (
        resolved["source"].isin(sources)
        & (resolved["method"] == UNRESOLVED)
        & resolved["alias_line"].isna()
    )
    closest = {}
    for i in resolved.index[unresolved]:
        row = resolved.loc[i]
        names = gaz.closest_names(row["state"], row["name"])
        closest[i] = names
        found = "; ".join(names) if names else "none is close"
        resolved.at[i, "unresolved_reason"] = (
            f"{row['unresolved_reason']}. Closest Census names in {row['state']}: {found}"
        )
    return closest


def require_rows_resolved(resolved: pd.DataFrame, files: dict[str, Path]) -> None:
    """Stop when a county-level row of a user list (`files`: source id -> path) names no
    county, as for the published lists, naming the file, the lines and what to do."""
    for source, path in files.items():
        bad = resolved[
            (resolved["source"] == source)
            & resolved["kind"].isin(COUNTY_LEVEL_KINDS)
            & (resolved["method"] == UNRESOLVED)
        ]
        if len(bad):
            lines = "\n".join(
                f"  line {r.row}: {r.raw!r} ({r.kind}, {r.state}): {r.unresolved_reason}"
                for r in bad.itertuples()
            )
            error = UserListError(
                path,
                f"{len(bad)} county row(s) name no county:\n{lines}",
                "Correct the name (or state) in the file, or add a line to data/aliases.csv "
                f"with source {source}, the state, the name as written and the county's FIPS "
                "(resolves_as county), or resolves_as none with the reason; see "
                "docs/definitions.md.",
            )
            error.line, error.value = int(bad["row"].iloc[0]), bad["raw"].iloc[0]
            raise error


def unresolved_warnings(resolved: pd.DataFrame, files: dict[str, Path]) -> list[str]:
    """One line per unresolved row of the user lists that does not stop the build."""
    shown = {source: paths.relative(path) for source, path in files.items()}
    rows = resolved[resolved["source"].isin(set(files)) & (resolved["method"] == UNRESOLVED)]
    return [
        f"{shown[r.source]} line {r.row}: {r.raw!r} ({r.kind}, {r.state}) is unresolved and "
        f"marks no county: {r.unresolved_reason}"
        for r in rows.itertuples()
    ]
