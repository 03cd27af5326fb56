"""Shared fixtures.

Unit tests use tiny samples written by hand in each source's real format.
Integration tests (marked `integration`) read the real, verified files in
data/raw and the products in data/processed, which `make test` builds first.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from analysis import sources
from analysis.core import paths

# Every estimate is computed afresh under test (the estimate cache has its own tests, in
# test_estimate_cache.py), and no entry is left behind.
os.environ.setdefault("ANALYSIS_ESTIMATE_CACHE", "off")

REPO = paths.REPO_DIR
_STARTED = pytest.StashKey[float]()


# The files whose tests take longest (each builds a scratch project with `make`) run
# first: pytest-xdist hands out whole files in order, so the long ones start at once
# and the short ones fill the other process around them.
LONGEST_FIRST = ["test_open_data.py", "test_paths.py", "test_safe_pages.py"]
HYPOTHESIS_COUNT = Path(__file__).parent / "output" / "hypothesis-examples.json"


def pytest_sessionstart(session):
    session.config.stash[_STARTED] = time.time()


def pytest_terminal_summary(terminalreporter, config):
    """How many Hypothesis examples this run tried (tests/test_fuzz_inputs.py)."""
    started = config.stash.get(_STARTED, None)
    if started is None or not HYPOTHESIS_COUNT.exists():
        return
    if HYPOTHESIS_COUNT.stat().st_mtime < started:
        return  # the fuzz tests did not run this time
    counts = json.loads(HYPOTHESIS_COUNT.read_text())
    total = counts.pop("total")
    each = ", ".join(f"{k} {n}" for k, n in counts.items())
    terminalreporter.write_line(f"Hypothesis examples run: {total} ({each})")


def pytest_collection_modifyitems(config, items):
    """The longest files first (see LONGEST_FIRST). Tests of the ICPSR years skip,
    saying so, when the build has no ICPSR files: the open-data build leaves those
    years out by design."""
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
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
    from analysis.panels.load import load_panel

    _require(paths.processed_dir() / "county_panel.parquet")
    return load_panel()


@pytest.fixture(scope="session")
def panel_log():
    from analysis.panels.load import load_build_log

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
