"""Comparison-engine benchmarks on the real panel and the real definitions.

Goals for the 2-core reference machine (issue 4): a matched estimate with
1,000 bootstrap draws within 1 s, a specification curve of at least 1,000
specifications within 20 s, a permutation test with 2,000 draws within 1 s.
"""

from __future__ import annotations

import dataclasses
import os
import sys

from harness import REPO, Benchmark, command

_state: dict = {}


def _setup():
    if str(REPO / "src") not in sys.path:
        sys.path.insert(0, str(REPO / "src"))
    from analysis.compare import match, permutation, specification_curve  # noqa: F401
    from analysis.compare.definitions import definition_status
    from analysis.panels.load import load_panel

    if not _state:
        _state["panel"] = load_panel()
        _state["status"] = definition_status("ice2014")
        # Warm the lazily imported pieces (scipy.special, threadpoolctl) once.
        permutation(_state["panel"], _state["status"], 2015, "poverty_pct", n_permutations=10)
        specification_curve(
            _state["panel"],
            definitions=["ice2014"],
            years=[2015],
            outcomes=["poverty_pct"],
            workers=1,
        )


def _match_bootstrap():
    from analysis.compare import match

    table = match(
        _state["panel"], _state["status"], 2015, "total_crime_per_10k", se="bootstrap", n_boot=1000
    )
    assert table["std_error"].notna().all()


def _permutation():
    from analysis.compare import permutation

    table = permutation(
        _state["panel"], _state["status"], 2015, "total_crime_per_10k", n_permutations=2000
    )
    assert table["p_value"].notna().all()


def _event(controls):
    def run():
        from analysis.compare import compare

        table = compare(
            "ice2014",
            "event",
            outcomes=["poverty_pct", "unemployment_pct", "median_household_income"],
            panel=_state["panel"],
            controls=controls,
        )
        assert table["estimate"].notna().all()

    return run


def _curve(workers):
    def run():
        from analysis.compare import specification_curve

        table = specification_curve(_state["panel"], workers=workers)
        assert len(table) >= 1000

    return run


def _city_curve():
    from analysis.compare import specification_curve

    table = specification_curve(units=["city"], panels={"city": _state["city_panel"]})
    assert len(table) >= 1000


def _city_setup():
    _setup()
    if "city_panel" not in _state:
        from analysis.panels.load import load_panel

        _state["city_panel"] = load_panel(unit="city")


BENCHMARKS = [
    Benchmark(
        "compare: match ATT + 1,000 bootstrap draws (ice2014)",
        _match_bootstrap,
        goal_s=1,
        repeat=10,
        setup=_setup,
        note="ice2014, 2015, total_crime_per_10k, CAP covariates, 149 focal counties; "
        "includes building the design, matching, balance table, 1,000 draws",
    ),
    Benchmark(
        "compare: permutation test, 2,000 draws (ice2014)",
        _permutation,
        goal_s=1,
        repeat=10,
        setup=_setup,
        note="ice2014, 2015, total_crime_per_10k; p-value and the test-inversion interval",
    ),
    Benchmark(
        "compare: event study, 3 annual outcomes, Sun-Abraham (ice2014)",
        _event("never"),
        goal_s=5,
        repeat=3,
        setup=_setup,
        note="pyfixest saturated regression with county and year effects on 25,000 "
        "county-years per outcome, cohort-share aggregation, pre-trend Wald test",
    ),
    Benchmark(
        "compare: event study, 3 annual outcomes, Gardner two-stage (ice2014)",
        _event("not_yet"),
        goal_s=30,
        repeat=3,
        setup=_setup,
        note="pyfixest did2s; its first-stage-corrected variance dominates the time",
    ),
    Benchmark(
        "compare: specification curve of counties, every default spec (auto workers)",
        _curve(None),
        goal_s=20,
        repeat=3,
        setup=_setup,
        note="every sanctuary definition x 2010-2023 x every county outcome (crime in its "
        "5 years) x raw (2 weightings) + match/regression/ipw x 3 covariate sets, over "
        "4,000 specifications; workers=None uses 2 processes at this size",
    ),
    Benchmark(
        "compare: specification curve of counties, every default spec (one process)",
        _curve(1),
        goal_s=20,
        repeat=3,
        setup=_setup,
        note="as above with workers=1, to show what the process pool buys",
    ),
    Benchmark(
        "compare: specification curve of cities (auto workers)",
        _city_curve,
        goal_s=20,
        repeat=3,
        setup=_city_setup,
        note="every sanctuary definition x 2010-2019 x the city crime outcomes x every "
        "method and covariate set that takes cities, over 3,000 specifications; cities "
        "under 10,000 people left out",
    ),
    Benchmark(
        "compare: `python -m analysis compare ... --method match` (new process)",
        command(
            sys.executable,
            "-m",
            "analysis",
            "compare",
            "--definition",
            "ice2014",
            "--year",
            "2015",
            "--outcome",
            "poverty_pct",
            "--method",
            "match",
            "--format",
            "csv",
        ),
        repeat=3,
        note="includes interpreter start, imports and loading the panel",
    ),
]


def _uncached(run):
    """`run` with the estimate cache off: a benchmark of an estimator must estimate, not
    read the answer its first run stored (analysis.compare.cache)."""

    def without_cache():
        before = os.environ.get("ANALYSIS_ESTIMATE_CACHE")
        os.environ["ANALYSIS_ESTIMATE_CACHE"] = "off"
        try:
            return run()
        finally:
            if before is None:
                del os.environ["ANALYSIS_ESTIMATE_CACHE"]
            else:
                os.environ["ANALYSIS_ESTIMATE_CACHE"] = before

    return without_cache


BENCHMARKS = [dataclasses.replace(b, run=_uncached(b.run)) for b in BENCHMARKS]
