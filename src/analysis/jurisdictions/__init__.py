"""Sanctuary lists resolved to counties, and definitions built from them.

- readers: one reader per list (2014 ICE detainer table, DHS 2025, DOJ 2025,
  Washington Post 287(g) 2005-2019, ICE 287(g) 2025), rows as written.
- user_lists: a CSV list a user registers with `list = "..."` in
  data/definitions.toml, read into the same rows.
- resolve: each row to its 2015 counties, with the method and rule that
  decided it (data/aliases.csv holds the hand-made decisions).
- definitions: data/definitions.toml and the per-county classification.
- build: `python -m analysis build definitions`.
- tables: the built tables for notebooks (re-exported here).
"""

from .tables import (
    city_summary,
    definition_rows,
    definition_summary,
    list_definitions,
    load_definition,
    load_resolution,
    overlap,
)

definition_overlap = overlap  # its name at the package's top: analysis.definition_overlap

__all__ = [
    "city_summary",
    "definition_overlap",
    "definition_rows",
    "definition_summary",
    "list_definitions",
    "load_definition",
    "load_resolution",
    "overlap",
]
