"""Where the project's folders are.

Every module asks this one for locations, so a test or a user can point the
whole pipeline elsewhere with ANALYSIS_ROOT (a folder laid out like this
repository: data/raw, data/processed, reports).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parents[1]


def root() -> Path:
    return Path(os.environ.get("ANALYSIS_ROOT", REPO_DIR))


def registry_file() -> Path:
    """The committed list of source files (always the repository's own)."""
    return REPO_DIR / "data" / "sources.toml"


def definitions_file() -> Path:
    """The committed sanctuary and cooperating definitions (always the repository's own)."""
    return REPO_DIR / "data" / "definitions.toml"


def raw_dir() -> Path:
    return root() / "data" / "raw"


def processed_dir() -> Path:
    return root() / "data" / "processed"


def reports_dir() -> Path:
    return root() / "reports"


def relative(path: Path) -> str:
    """A path as users see it in messages: relative to the project when inside it."""
    path = Path(path)
    for base in (root(), REPO_DIR):
        try:
            return str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            continue
    return str(path)
