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
    env = {**os.environ, "ANALYSIS_ROOT": str(_floor_root)}

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
    command("make", "JOBS=2", "reports")()


BENCHMARKS = [
    Benchmark(
        "`make reports`, cold (data built), default set, 2 jobs",
        _cold,
        goal_s=60,
        repeat=3,
        note="every report's notebook under papermill, HTML export, figures, tables, index",
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
