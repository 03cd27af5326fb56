"""Run every benchmark in benchmarks/bench_*.py; print and save the figures.

python benchmarks/run.py [NAME-SUBSTRING ...]
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import platform
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import Benchmark, timed  # noqa: E402


def discover() -> list[Benchmark]:
    found = []
    for path in sorted(HERE.glob("bench_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found += module.BENCHMARKS
    return found


REPORTS_RATIO_GOAL = 1.15  # cold `make reports` at most this many times the floor


def _reports_ratio(results: list[dict]) -> float | None:
    """The cold report build's median over the plain-Python floor's, measured in the
    same run (the two are only comparable on the same machine at the same time)."""
    cold = [r["median_s"] for r in results if r["name"].startswith("`make reports`, cold")]
    floor = [r["median_s"] for r in results if r["name"].startswith("floor:")]
    return cold[0] / floor[0] if cold and floor else None


def main(selected: list[str]) -> int:
    benches = [b for b in discover() if not selected or any(s in b.name for s in selected)]
    results = []
    print(f"{'benchmark':58} {'median':>8} {'min':>8} {'max':>8} {'goal':>7}  runs")
    for bench in benches:
        if bench.setup:
            bench.setup()
        bench.timings = [timed(bench.run) for _ in range(bench.repeat)]
        median = statistics.median(bench.timings)
        verdict = "" if bench.goal_s is None else ("ok" if median <= bench.goal_s else "OVER")
        goal = "" if bench.goal_s is None else f"{bench.goal_s:g} s"
        print(
            f"{bench.name:58} {median:8.3f} {min(bench.timings):8.3f} "
            f"{max(bench.timings):8.3f} {goal:>7}  {bench.repeat}  {verdict}",
            flush=True,
        )
        results.append(
            {
                "name": bench.name,
                "median_s": median,
                "min_s": min(bench.timings),
                "max_s": max(bench.timings),
                "runs": bench.repeat,
                "goal_s": bench.goal_s,
                "meets_goal": verdict != "OVER",
                "timings_s": bench.timings,
                "note": bench.note,
            }
        )
    ratio = _reports_ratio(results)
    if ratio is not None:
        verdict = "ok" if ratio <= REPORTS_RATIO_GOAL else "OVER"
        print(
            f"{'ratio: cold `make reports` / floor (medians)':58} {ratio:8.2f} "
            f"{'':17} {REPORTS_RATIO_GOAL:>6}x  -  {verdict}"
        )
    out = HERE / "results" / "latest.json"
    out.parent.mkdir(exist_ok=True)
    if selected and out.exists():  # a partial run updates its own entries, keeps the rest
        ran = {r["name"] for r in results}
        kept = [r for r in json.loads(out.read_text())["results"] if r["name"] not in ran]
        results = kept + results
    tmp = out.with_suffix(".tmp")
    tmp.write_text(
        json.dumps(
            {
                "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                },
                "results": results,
                "reports_over_floor": ratio,
            },
            indent=1,
        )
        + "\n"
    )
    tmp.replace(out)
    print(f"\nwrote {out.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
