"""Where the project's folders are.

Every module asks this one for locations, so a test or a user can point the
whole pipeline elsewhere with ANALYSIS_ROOT (a folder laid out like this
repository: data/raw, data/processed, reports).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # src/analysis
REPO_DIR = PACKAGE_DIR.parents[1]


def root() -> Path:
    return Path(os.environ.get("ANALYSIS_ROOT", REPO_DIR))


def registry_file() -> Path:
    """The committed list of source files (always the repository's own)."""
    return REPO_DIR / "data" / "sources.toml"


def definitions_file() -> Path:
    """The sanctuary and cooperating definitions: the project root's own when it has one
    (a scratch project with a user's lists), else the repository's."""
    return own_or_repository("data", "definitions.toml")


def aliases_file() -> Path:
    """The hand-made name decisions, found as definitions_file() is."""
    return own_or_repository("data", "aliases.csv")


def list_file(name: str) -> Path:
    """A list in data/lists/ (e.g. the state laws), found as definitions_file() is."""
    return own_or_repository("data", "lists", name)


def own_or_repository(*parts: str) -> Path:
    """The project root's file (ANALYSIS_ROOT's, when it has one), else the repository's."""
    # Make reads these files relative to the folder it runs in (the root), so the
    # library must read the same ones.
    own = root().joinpath(*parts)
    return own if own.is_file() else REPO_DIR.joinpath(*parts)


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
