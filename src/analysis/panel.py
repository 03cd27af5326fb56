"""The county panel: one row per county (2015 boundaries) and year, 2010-2017.

`load_panel` reads data/processed/county_panel.parquet for notebooks and the
comparison engine, after checking it against the sha256 its build recorded.
`analysis.panel_build.build_panel` makes it; `analysis.schema.COLUMNS` says
what each column means.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import paths
from .buildlog import verified_product
from .schema import COLUMNS, CRIME_COLUMNS  # noqa: F401  (the contract, for readers of the panel)


def panel_path() -> Path:
    return paths.processed_dir() / "county_panel.parquet"


def log_path(panel: Path | None = None) -> Path:
    panel = panel or panel_path()
    return panel.with_name(panel.stem + ".log.json")


def load_panel(
    years: list[int] | None = None, columns: list[str] | None = None, path: Path | None = None
) -> pd.DataFrame:
    """The county panel as a DataFrame (build it first with `make data`).

    years: keep only these years; columns: keep only these columns (fips and
    year are always kept).
    """
    path = verified_product(path or panel_path())
    if columns is not None:
        from .errors import UnknownChoice

        unknown = [c for c in columns if c not in COLUMNS]
        if unknown:
            raise UnknownChoice("panel column", unknown[0], COLUMNS)
        columns = ["fips", "year", *[c for c in columns if c not in ("fips", "year")]]
    filters = [("year", "in", list(years))] if years is not None else None
    return pd.read_parquet(path, columns=columns, filters=filters)


def load_build_log(path: Path | None = None) -> dict:
    import json

    return json.loads(log_path(path).read_text())
