"""What this build has, and what a page says where it needs a year it lacks.

The ICPSR crime files (2010, 2012, 2016) are optional: they need a signed-in
download and may not be redistributed, so a build from the open data leaves
those years' crime missing. The panel's build log records which optional
sources the build had (`optional_status`); the panel itself shows which years
of an outcome have values (`years_with_values`), which is what estimates rely
on. Where a figure, table or estimate needs an absent year, `notice` gives the
one line to show instead: the years, where to get them and where to put them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from .. import sources
from ..core import paths
from .years import UCR_FILES

README_SECTION = "Adding the 2010, 2012 and 2016 crime years"


def _panel_log() -> Path:
    return paths.processed_dir() / "county_panel.log.json"


def optional_status(log: Path | None = None) -> list[dict]:
    """The panel build's record of each optional source file: source, file,
    path, present, reason. Empty when the panel has not been built."""
    log = log or _panel_log()
    if not log.exists():
        return []
    return json.loads(log.read_text()).get("optional_sources", [])


def absent_crime_years(log: Path | None = None) -> list[int]:
    """The crime years whose optional file the last panel build did not have."""
    file_year = {file_id: year for year, file_id in UCR_FILES.items()}
    return sorted(
        file_year[s["file"]]
        for s in optional_status(log)
        if not s["present"] and s["file"] in file_year
    )


def years_with_values(panel, outcome: str) -> set[int]:
    """The years in which `panel` has at least one value of `outcome`."""
    present = panel.loc[panel[outcome].notna(), "year"]
    return {int(y) for y in present.unique()}


def absent_years(panel, outcome: str, years: Iterable[int]) -> list[int]:
    """Of `years`, those `panel` has rows for but no value of `outcome` in at all (a
    panel cut to fewer years lacks nothing in the years it leaves out)."""
    have = years_with_values(panel, outcome)
    rows = {int(y) for y in panel["year"].unique()}
    return sorted({int(y) for y in years} & rows - have)


def split(panel, outcomes: Iterable[str], years: Iterable[int]) -> tuple[list[str], list[str]]:
    """(outcomes with values in every one of `years`, outcomes missing in some)."""
    years = list(years)
    outcomes = list(outcomes)
    gone = [o for o in outcomes if absent_years(panel, o, years)]
    return [o for o in outcomes if o not in gone], gone


def listed(items: list[str]) -> str:
    """Items joined as "a", "a and b" or "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def notice(years: Iterable[int], what: str = "") -> str:
    """One line for a page: which crime years are missing, where to get them
    and where to put them. `what` says what is left out because of them
    ("Crime outcomes left out"); the line then starts with it."""
    years = sorted({int(y) for y in years})
    shown = listed([str(y) for y in years])
    verb = "is" if len(years) == 1 else "are"
    head = f"{what + ': ' if what else ''}{shown} crime {verb} not in this build"
    optional = [y for y in years if y in UCR_FILES]
    if not optional:
        return f"{head}: the sources give no crime for {shown}."
    where = []
    for year in optional:
        spec = sources.source_file(UCR_FILES[year])
        url = sources.registry()[spec.source_id].landing_page
        where.append((year, url, f"data/raw/{spec.path}"))
    if len(where) == 1:
        ((_, url, path),) = where
        how = f"To add it, download DS0004 from {url} and save it as {path}"
    else:
        how = "To add them, download DS0004 of each and save it as shown: " + "; ".join(
            f"{year} from {url} as {path}" for year, url, path in where
        )
    files = "file" if len(optional) == 1 else "files"
    come = "comes" if len(optional) == 1 else "come"
    return (
        f"{head}. The FBI's county {files} for {listed([str(y) for y in optional])} {come} from "
        f"ICPSR, a signed-in download that may not be redistributed. {how}; then run "
        f"`make reports` (README: '{README_SECTION}')."
    )
