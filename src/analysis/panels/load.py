"""The panels: one row per county (2015 boundaries) and year, 2010-2023, and one row per
city (Census place) and year, 2010-2019.

`load_panel` reads data/processed/county_panel.parquet (unit="county") or
city_panel.parquet (unit="city") for notebooks and the comparison engine, after
checking it against the sha256 its build recorded. `analysis.panels.county` and
`analysis.panels.city` make them; `analysis.panels.county_schema.COLUMNS` and
`analysis.panels.city_schema.CITY_COLUMNS` say what each column means.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..core.errors import UnknownChoice
from ..sources.buildlog import verified_product
from .county_schema import COLUMNS, CRIME_COLUMNS  # noqa: F401  (the contract, for readers of the panel)
from .units import CITY, COUNTY, DEFAULT_UNIT, Unit
from .units import unit as lookup_unit


def panel_path() -> Path:
    return COUNTY.panel_path()


def city_panel_path() -> Path:
    return CITY.panel_path()


def log_path(panel: Path | None = None) -> Path:
    panel = panel or panel_path()
    return panel.with_name(panel.stem + ".log.json")


def load_panel(
    years: list[int] | None = None,
    columns: list[str] | None = None,
    path: Path | None = None,
    unit: str | Unit = DEFAULT_UNIT.name,
) -> pd.DataFrame:
    """A panel as a DataFrame (build it first with `make data`): the counties'
    (unit="county", keyed by `fips`) or the cities' (unit="city", keyed by `place`;
    only the city-years the FBI's table lists).

    years: keep only these years; columns: keep only these columns (the key and
    year are always kept).
    """
    found = lookup_unit(unit)
    path = verified_product(path or found.panel_path())
    if columns is not None:
        unknown = [c for c in columns if c not in found.columns]
        if unknown:
            raise UnknownChoice(f"{found.singular} panel column", unknown[0], found.columns)
        columns = [found.key, "year", *[c for c in columns if c not in (found.key, "year")]]
    filters = [("year", "in", list(years))] if years is not None else None
    return pd.read_parquet(path, columns=columns, filters=filters)


def load_build_log(path: Path | None = None) -> dict:
    return json.loads(log_path(path).read_text())
