"""Report benchmarks: `make reports` cold (data built, no report outputs), a no-op
rerun, and the floor: the same notebooks' code run as plain Python scripts, two
at a time like `make -j2`, so the ratio shows what papermill, the kernel and the
HTML export add."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from harness import REPO, Benchmark, command

sys.path.insert(0, str(REPO / "src"))

OUTPUTS = [
    "reports/html",
    "reports/notebooks",
    "reports/figures",
    "reports/tables",
    "reports/meta",
    "reports/index.html",
    "reports/explore.html",
    "reports/places.html",
    ".make/reports.mk",
    ".make/reports",
]
ESTIMATES = REPO / ".make" / "estimates"  # the estimate cache (analysis.compare.cache)


def _clear_reports() -> None:
    for item in OUTPUTS:
        path = REPO / item
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def _scripts() -> list[Path]:
    """Each configured report as a plain Python script: its notebook's code cells,
    with the report's parameters assigned after the parameters cell."""
    import nbformat

    from analysis import reports

    folder = Path(tempfile.mkdtemp(prefix="bench-floor-"))
    scripts = []
    for spec in reports.load_config():
        nb = nbformat.read(spec.notebook, as_version=4)
        parameters = {**spec.settings, **spec.parameters, reports.NAME_PARAMETER: spec.name}
        lines = ["import matplotlib", "matplotlib.use('agg')"]
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            lines.append(cell.source)
            if "parameters" in cell.metadata.get("tags", []):
                lines += [f"{k} = {v!r}" for k, v in parameters.items()]
        script = folder / f"{spec.name}.py"
        script.write_text("\n".join(lines) + "\n")
        scripts.append(script)
    return scripts


_floor_root = Path(tempfile.mkdtemp(prefix="bench-floor-root-"))
(_floor_root / "data").mkdir()
(_floor_root / "data" / "processed").symlink_to(REPO / "data" / "processed")
_floor_scripts: list[Path] = []


def _floor_setup() -> None:
    _floor_scripts[:] = _scripts()


def _floor() -> None:
    # No estimate cache: the floor computes every estimate, as the cold build does.
    env = {**os.environ, "ANALYSIS_ROOT": str(_floor_root), "ANALYSIS_ESTIMATE_CACHE": "off"}

    def run(script: Path) -> None:
        result = subprocess.run(
            [sys.executable, str(script)],
            cwd=REPO / "notebooks",
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise RuntimeError(f"{script.name} failed:\n{result.stderr[-2000:]}")

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(run, _floor_scripts))


def _cold() -> None:
    _clear_reports()
    shutil.rmtree(ESTIMATES, ignore_errors=True)
    command("make", "JOBS=2", "reports")()


def _lookups() -> tuple[int, int]:
    log = ESTIMATES / "lookups.log"
    lines = log.read_text().split("\n") if log.exists() else []
    return sum(x.startswith("hit") for x in lines), sum(x.startswith("miss") for x in lines)


def _warm() -> None:
    """Every page again with the estimates of the cold build kept: the cache's hits."""
    _clear_reports()
    (ESTIMATES / "lookups.log").unlink(missing_ok=True)
    command("make", "JOBS=2", "reports")()
    hits, misses = _lookups()
    print(f"    estimate cache: {hits} hits, {misses} misses", flush=True)


def _state_laws_page() -> None:
    """The state-laws page alone, cold: its estimates computed, placebos included."""
    shutil.rmtree(ESTIMATES, ignore_errors=True)
    page = REPO / "reports" / "html" / "state-laws.html"
    page.unlink(missing_ok=True)
    command("make", "reports/html/state-laws.html")()


BENCHMARKS = [
    Benchmark(
        "`make reports`, cold (data built, no estimates), 2 jobs",
        _cold,
        goal_s=75,
        repeat=3,
        note="every report's notebook under papermill, HTML export, figures, tables, index; "
        "the estimate cache empty",
    ),
    Benchmark(
        "`make reports`, every page again, estimates kept",
        _warm,
        repeat=1,
        note="the pages rebuilt, their estimates read from the cache (its hits are printed)",
    ),
    Benchmark(
        "`make reports/html/state-laws.html` alone, cold",
        _state_laws_page,
        goal_s=30,
        repeat=1,
        note="synthetic controls of 8 laws x 4 outcomes, every placebo state, synthetic DiD",
    ),
    Benchmark("`make reports`, nothing to do", command("make", "reports"), goal_s=1, repeat=5),
    Benchmark(
        "floor: the same notebooks as plain Python scripts, 2 at a time",
        _floor,
        repeat=3,
        setup=_floor_setup,
        note="no kernel, papermill or HTML export; figures and tables still written",
    ),
]
