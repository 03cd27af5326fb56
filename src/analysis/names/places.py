"""From a city's name and state to its Census place code, as the FBI's city table and the
sanctuary lists write them.

The name and state, lower case ('chicago il'), are looked up in data/city_aliases.csv
(consolidated city-county governments), then in Data Commons' hand fixes, then in its
table of FBI city names. A code of 7 digits is a Census place, 10 digits a county
subdivision (a township), 6 digits a California place code that lost its leading zero
in Data Commons' file (restored). A 5-digit code is a metropolitan area or a county:
the agency (Las Vegas Metropolitan Police, Charlotte-Mecklenburg, a county police
force) names no one place.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ..core import paths
from ..core.errors import SourceFormatError
from ..readers.places import read_geocodes

# Why a name gets no place.
NO_MATCH = "no Census place of this name and state in Data Commons' geocodes"
METRO = (
    "a metropolitan or county police department: Data Commons places it in a metropolitan "
    "area or a county ({code}), not in one Census place"
)
MALFORMED = "Data Commons' code {code} is neither a place (7 digits) nor a township (10)"
OTHER_STATE = "Data Commons' code {code} lies in another state"


def city_aliases_file() -> Path:
    return paths.REPO_DIR / "data" / "city_aliases.csv"


@dataclass(frozen=True)
class Placing:
    """Where the geocode tables put an agency: a place code, or why none."""

    place: str | None
    how: str  # alias, manual, geocode, or "" when unplaced
    reason: str = ""


class Placer:
    def __init__(self, aliases: dict[str, str], manual: dict[str, str], geocodes: dict[str, str]):
        self.tables = [("alias", aliases), ("manual", manual), ("geocode", geocodes)]
        self.restored: set[str] = set()

    @classmethod
    def load(cls, log) -> Placer:
        """From the verified geocode files (opened through the build's log) and the
        project's own aliases."""
        path, account = log.open("city-geocodes")
        geocodes = read_geocodes(path, account)
        path, account = log.open("city-geocodes-manual")
        manual = read_geocodes(path, account, sep="\t")
        return cls(
            read_city_aliases(),
            dict(zip(manual["key"], manual["geoid"])),
            dict(zip(geocodes["key"], geocodes["geoid"])),
        )

    def place(self, name: str, state: str, state_fips: str) -> Placing:
        key = f"{name.lower()} {state.lower()}"
        for how, table in self.tables:
            if key in table:
                return self._code(table[key], how, state_fips, key)
        return Placing(None, "", NO_MATCH)

    def _code(self, code: str, how: str, state_fips: str, key: str) -> Placing:
        if len(code) == 6:  # Excel dropped the leading zero of a California place
            self.restored.add(key)
            code = code.zfill(7)
        if len(code) == 5:
            return Placing(None, "", METRO.format(code=code))
        if len(code) not in (7, 10):
            return Placing(None, "", MALFORMED.format(code=code))
        if code[:2] != state_fips:
            return Placing(None, "", OTHER_STATE.format(code=code))
        return Placing(code, how)


def read_city_aliases(path: Path | None = None) -> dict[str, str]:
    """data/city_aliases.csv: '<name> <st>' (lower case) -> place code."""
    path = path or city_aliases_file()
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.lstrip().startswith("#")))
    aliases = {}
    for number, row in enumerate(rows, start=2):
        if set(row) != {"name", "state", "place", "comment"} or not all(row.values()):
            raise SourceFormatError(
                paths.relative(path),
                f"data line {number - 1}: every line needs name, state, place and comment",
            )
        if not (row["place"].isdigit() and len(row["place"]) == 7):
            raise SourceFormatError(
                paths.relative(path), f"place {row['place']!r} is not a 7-digit place code"
            )
        aliases[f"{row['name'].lower()} {row['state'].lower()}"] = row["place"]
    return aliases
