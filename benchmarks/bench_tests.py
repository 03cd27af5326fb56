"""Test-tier benchmarks: the unit tests alone, and the whole suite as `make test` runs it
(lint, the reports, which bench_reports.py has just built so only the check remains,
and every test in two processes). They measure; no test fails on time."""

from __future__ import annotations

from harness import Benchmark, command

BENCHMARKS = [
    Benchmark(
        "`make test-unit`",
        command("make", "JOBS=2", "test-unit"),
        goal_s=20,
        repeat=3,
        note="the unit tests on hand-made samples: no data build, notebooks or browser",
    ),
    Benchmark(
        "`make test`, data and reports built",
        command("make", "JOBS=2", "test"),
        goal_s=300,
        repeat=1,
        note="lint, the report rules' check, and every test: the real data, every notebook, "
        "scratch builds without the ICPSR files and in an awkward path, the site in Chromium",
    ),
]
