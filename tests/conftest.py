"""Shared fixtures.

Unit tests use tiny samples written by hand in each source's real format.
Integration tests (marked `integration`) read the real, verified files in
data/raw and the products in data/processed, which `make test` builds first.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import paths, sources

REPO = paths.REPO_DIR


def pytest_collection_modifyitems(config, items):
    """Tests of the ICPSR years skip, saying so, when the build has no ICPSR files:
    the open-data build leaves those years out by design."""
    absent = [
        f"data/raw/{f.path}"
        for f in sources.optional_files()
        if not (paths.raw_dir() / f.path).exists()
    ]
    if not absent:
        return
    skip = pytest.mark.skip(
        reason="needs the optional ICPSR files, not in this build: " + ", ".join(absent)
    )
    for item in items:
        if "needs_icpsr" in item.keywords:
            item.add_marker(skip)


def _require(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make data` (or `make test`, which builds it first)")
    return path


@pytest.fixture(scope="session")
def counts() -> dict[str, int]:
    """Counts the sources state, each with its citation, from tests/reference/source_counts.csv."""
    import csv

    with open(Path(__file__).parent / "reference" / "source_counts.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert all(r["citation"] and r["source_file"] for r in rows), "every count cites its source"
    return {r["key"]: int(r["value"]) for r in rows}


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    return _require(paths.raw_dir())


@pytest.fixture(scope="session")
def panel():
    from analysis.panel import load_panel

    _require(paths.processed_dir() / "county_panel.parquet")
    return load_panel()


@pytest.fixture(scope="session")
def panel_log():
    from analysis.panel import load_build_log

    return load_build_log()


@pytest.fixture()
def project_copy(tmp_path, monkeypatch, raw_dir):
    """A scratch project root (ANALYSIS_ROOT) with copies of chosen raw files.

    Call it with file ids; returns the scratch raw folder. Tests alter the
    copies, never the originals.
    """
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))

    def copy(*file_ids: str) -> Path:
        scratch = tmp_path / "data" / "raw"
        for fid in file_ids:
            rel = sources.source_file(fid).path
            (scratch / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(raw_dir / rel, scratch / rel)
        return scratch

    return copy
