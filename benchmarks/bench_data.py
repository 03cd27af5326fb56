"""Data benchmarks: the county panel, city panel and definitions builds, loading the
panel, and a no-op `make data`."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from harness import REPO, Benchmark, command

_scratch = Path(tempfile.mkdtemp(prefix="bench-root-"))
(_scratch / "data").mkdir()
(_scratch / "data" / "raw").symlink_to(REPO / "data" / "raw")


def _load_setup():
    sys.path.insert(0, str(REPO / "src"))
    from analysis.panels.load import load_panel

    load_panel()  # warm: imports done, file in the page cache


def _load():
    from analysis.panels.load import load_panel

    load_panel()


def _build(product: str):
    """`python -m analysis build PRODUCT` in a new process, into the scratch root (each
    build reads the one before: the city panel the county panel, the definitions both)."""
    return command(
        sys.executable, "-m", "analysis", "build", product, env={"ANALYSIS_ROOT": str(_scratch)}
    )


BENCHMARKS = [
    Benchmark(
        "panel build from verified raw files (new process)",
        _build("panel"),
        goal_s=20,
        repeat=3,
        note="python -m analysis build panel into a scratch root; includes interpreter "
        "start, imports, sha256 checks of 30 raw files, validation and writing",
    ),
    Benchmark(
        "city panel build from verified raw files (new process)",
        _build("city-panel"),
        goal_s=20,
        repeat=3,
        note="python -m analysis build city-panel into a scratch root (after the county "
        "panel, whose covariates it takes): ten FBI city tables 2010-2019, about 93,000 "
        "agency rows placed in Census places and counties",
    ),
    Benchmark(
        "definitions build from verified raw files (new process)",
        _build("definitions"),
        goal_s=20,
        repeat=3,
        note="python -m analysis build definitions into a scratch root: every list read, "
        "its rows resolved to counties and cities, each definition classified for both",
    ),
    Benchmark(
        "state panel build from verified raw files (new process)",
        _build("state-panel"),
        goal_s=20,
        repeat=3,
        note="python -m analysis build state-panel into a scratch root: the FBI's state "
        "estimates 1979-2023 with the state rows of LAUS and SAIPE",
    ),
    Benchmark("load_panel(), warm", _load, goal_s=0.2, repeat=20, setup=_load_setup),
    Benchmark("no-op `make data`", command("make", "data"), goal_s=1, repeat=5),
]
