"""Where a report's outputs go, under reports/ of the project root.

For report NAME: html/NAME.html (the reader's page), notebooks/NAME.ipynb (the
executed notebook), figures/NAME/*.png and *.svg, tables/NAME/*.csv and
meta/NAME.json (title, finding, notices, sources, outputs) from which the
index is built.
"""

from __future__ import annotations

from pathlib import Path

from ..core import paths


def html_path(name: str) -> Path:
    return paths.reports_dir() / "html" / f"{name}.html"


def executed_path(name: str) -> Path:
    return paths.reports_dir() / "notebooks" / f"{name}.ipynb"


def figures_dir(name: str) -> Path:
    return paths.reports_dir() / "figures" / name


def tables_dir(name: str) -> Path:
    return paths.reports_dir() / "tables" / name


def meta_path(name: str) -> Path:
    return paths.reports_dir() / "meta" / f"{name}.json"


def dictionary_path() -> Path:
    """What every column of the tables' CSV files means."""
    return paths.reports_dir() / "tables" / "data-dictionary.csv"


def index_path() -> Path:
    return paths.reports_dir() / "index.html"


def parameter_stamps_dir() -> Path:
    """Make's record of each report's parameters (see rules.write_parameter_stamps)."""
    return paths.root() / ".make" / "reports"
