"""The sources a page cites, derived from what it uses: its definitions (and the
Census names that resolve their lists), the panel columns and years it shows,
its covariates, its comparison group and its maps. No page types its sources
by hand, so a page cites the list that defines "sanctuary" and no crime file
for a year it does not use.
"""

from __future__ import annotations

from collections.abc import Iterable

from .. import sources
from ..core import paths
from ..core.errors import UnknownChoice
from ..jurisdictions.definitions import USER_SOURCE_PREFIX
from ..jurisdictions.tables import default_cooperating
from ..panels.units import DEFAULT_UNIT, Unit
from ..panels.units import unit as lookup_unit

# Files that turn list rows naming cities or states into counties.
RESOLUTION_FILES = ("places-2010", "place-index-2020", "county-codes-2010")
MAP_FILES = ("counties-2015", "states-2015")


def _definition_files(definition: str) -> list[str]:
    import tomllib

    with open(paths.definitions_file(), "rb") as fh:
        known = {d["id"]: d for d in tomllib.load(fh).get("definition", [])}
    if definition not in known:
        raise UnknownChoice("definition", definition, known)
    entry = known[definition]
    # A user's own list (`list`, or "list:<id>" in `sources`) is not in the registry:
    # the page cites the Census names that resolved it.

    files = [s for s in entry.get("sources", []) if not s.startswith(USER_SOURCE_PREFIX)]
    own = "list" in entry or len(files) < len(entry.get("sources", []))
    if own or set(entry.get("methods", [])) - {"exact"}:
        files += RESOLUTION_FILES
    return files


def sources_for(
    definitions: Iterable[str] = (),
    columns: Iterable[str] = (),
    years: Iterable[int] = (),
    comparisons: Iterable[str] = (),
    maps: bool = False,
    unit: str | Unit = DEFAULT_UNIT.name,
) -> list[str]:
    """Registry source ids, in registry order, for a page that shows `columns` in
    `years` for `definitions` (and 287(g) `comparisons` such as "g287_2015";
    "cooperating" means each definition's nearest 287(g) list), of a unit's panel (the
    unit's own files for each column and year, analysis.panels.units; for cities, the
    FBI's city tables, the files that place each city, and the county files its
    covariates come from)."""
    found = lookup_unit(unit)
    files: list[str] = list(found.page_files(years or found.years))
    for definition in definitions:
        files += _definition_files(definition)
    for comparison in comparisons:
        if comparison == "all":
            continue
        if comparison == "cooperating":
            for definition in definitions:
                files += _definition_files(default_cooperating(definition))
        else:
            files += _definition_files(comparison)
    for column in columns:
        for year in years or found.years:
            files += found.files_for(column, year)
    if maps:
        files += MAP_FILES
    wanted = {sources.source_file(f).source_id for f in files}
    return [s for s in sources.registry() if s in wanted]


def check(ids: Iterable[str]) -> list[str]:
    """Registry source ids, each once in the order first given, or an error naming the
    unknown one and the valid ones."""
    registry = sources.registry()
    ids = list(dict.fromkeys(ids))
    for source_id in ids:
        if source_id not in registry:
            raise UnknownChoice("source", source_id, registry)
    return ids
