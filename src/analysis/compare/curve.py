"""The specification curve: every combination of definition x comparison x
year x outcome x method x covariate set (x crime-data coverage cut) in one call,
one tidy table.

Combinations that cannot exist are not enumerated (crime outcomes outside
the crime years; difference-in-differences has no single year and runs once
per definition and outcome; raw and permutation take no covariates and run
once per year and outcome). Combinations that exist but cannot be estimated
(too few counties, a propensity model that separates) are kept as rows with
the reason in `note`. Combinations the sources give but this panel has no
value for (an optional source such as an ICPSR crime year is absent) are not
run; `table.attrs["left_out"]` lists them with the reason, for pages to show.

Work is grouped by (definition, comparison, year), so each group's design is
built once, and outcomes with the same missing counties share their matches.

BLAS threads: the thousands of small matrix products here run about four
times slower when OpenBLAS splits each over two threads (on two cores, with
anything else running, the threads wait on each other), so the curve limits
BLAS to one thread per process while it runs (threadpoolctl).

Processes: with workers > 1 the groups are spread over a process pool; each
process receives the panel once (forked where the platform allows). Process
start and collecting the rows cost about a second, so `workers=None` uses two
processes only for curves of PARALLEL_THRESHOLD specifications or more on a
machine with at least two cores; the figures are in benchmarks/bench_compare.py.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor

import pandas as pd

from ..availability import absent_years, notice, years_with_values
from ..errors import AnalysisError
from .choices import (
    CONSTANT_OUTCOMES,
    COVARIATE_SETS,
    CRIME_OUTCOMES,
    OUTCOMES,
    check_year,
    outcome_years,
    panel_years,
    resolve_covariates,
)
from .coverage import annotate, apply_min_coverage, check_min_coverage, flag_only_years
from .design import result_table
from .engine import make_design, make_plan, plan_rows
from .groups import make_groups
from .methods import check_method, method

DEFAULT_METHODS = ("raw", "match", "regression", "ipw")
PARALLEL_THRESHOLD = 1000  # specifications; below this process start outweighs the gain

_STATE: dict = {}


def _init_worker(panel, statuses, comparisons, limit_blas: bool = False) -> None:
    if limit_blas:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1, user_api="blas")  # for the life of this worker process
    _STATE.update(panel=panel, statuses=statuses, comparisons=comparisons)


def _cut_panel(min_coverage: float | None):
    """The panel with crime below `min_coverage` blanked, once per worker and cut."""
    cuts = _STATE.setdefault("cuts", {})
    if min_coverage not in cuts:
        cuts[min_coverage] = apply_min_coverage(_STATE["panel"], min_coverage)
    return cuts[min_coverage]


def _run_group(group: tuple) -> list[dict]:
    definition, comparison, year, min_coverage, tasks = group
    statuses, comparisons = _STATE["statuses"], _STATE["comparisons"]
    panel, below_cut = _cut_panel(min_coverage)
    groups = make_groups(statuses[definition], comparisons[comparison])
    rows: list[dict] = []
    designs: dict[bool, object] = {}
    for plan, outcome in tasks:
        if plan.method.panel not in designs:  # one design per year, one for the panel years
            designs[plan.method.panel] = make_design(plan, panel, groups, year)
        design = designs[plan.method.panel]
        found = plan_rows(plan, design, outcome)
        annotate(found, below_cut, groups, min_coverage, design.years if year is None else ())
        rows.extend(found)
    return rows


def _cuts(outcome: str, years, min_coverages: tuple) -> tuple:
    """The coverage cuts that apply to an outcome in `years`: every cut for crime (but
    none above Urban's 80 % flag where 2015 is among them), none for the others."""
    if outcome not in CRIME_OUTCOMES:
        return (None,)
    return tuple(c for c in min_coverages if not flag_only_years(outcome, years, c))


def _tasks(
    definition,
    comparison,
    years,
    outcomes,
    methods,
    covariate_sets,
    options,
    has_values,
    min_coverages=(None,),
) -> list[tuple]:
    """The work for one definition and comparison, grouped by year and coverage cut;
    `has_values` gives the years the panel has each outcome in (see `_left_out`)."""
    groups = []
    did_tasks: dict = {}
    for year in years:
        by_cut: dict = {}
        for outcome in outcomes:
            if year not in has_values[outcome]:
                continue
            for cut in _cuts(outcome, [year], min_coverages):
                by_cut.setdefault(cut, []).extend(
                    _year_tasks(outcome, methods, covariate_sets, options)
                )
        groups += [(definition, comparison, year, cut, tasks) for cut, tasks in by_cut.items()]
    if "did" in methods:
        from .did import POST_YEARS, PRE_YEARS

        did_options = options.get("did", {})
        needed = {*did_options.get("pre", PRE_YEARS), *did_options.get("post", POST_YEARS)}
        for outcome in outcomes:
            if needed <= has_values[outcome] and outcome not in CONSTANT_OUTCOMES:
                for cut in _cuts(outcome, needed, min_coverages):
                    did_tasks.setdefault(cut, []).append(
                        (make_plan("did", None, did_options), outcome)
                    )
        groups += [(definition, comparison, None, cut, tasks) for cut, tasks in did_tasks.items()]
    return groups


def _year_tasks(outcome, methods, covariate_sets, options) -> list[tuple]:
    """(plan, outcome) for each one-year method, covariate set and weighting."""
    tasks = []
    for name in methods:
        if method(name).panel:
            continue
        sets = covariate_sets if method(name).covariates else (None,)
        method_options = options.get(name, {})
        variants = [method_options]
        if name == "raw" and method_options.get("weights", "both") == "both":
            # One specification per weighting, so one task is one row.
            variants = [{**method_options, "weights": w} for w in ("none", "population")]
        for covariates in sets:
            for variant in variants:
                tasks.append((make_plan(name, covariates, variant), outcome))
    return tasks


def specification_curve(
    panel: pd.DataFrame | None = None,
    definitions: Iterable[str] | None = None,
    years: Iterable[int] | None = None,
    outcomes: Iterable[str] | None = None,
    methods: Iterable[str] = DEFAULT_METHODS,
    covariate_sets: Iterable = tuple(COVARIATE_SETS),
    comparisons: Iterable[str] = ("all",),
    options: Mapping[str, dict] | None = None,
    statuses: Mapping[str, pd.Series] | None = None,
    comparison_statuses: Mapping[str, pd.Series | None] | None = None,
    workers: int | None = None,
    min_coverages: Iterable[float | None] = (None,),
) -> pd.DataFrame:
    """Run every combination and return one table (the estimators' columns).

    definitions: names for analysis.jurisdictions (default: every definition
    with sanctuary counties); or pass `statuses` {name: status Series} to use
    Series directly. comparisons: "all", "cooperating", g287_* ids (or keys of
    `comparison_statuses` {name: Series or None}). options: per-method
    keyword options, e.g. {"match": {"caliper": 0.25}}. workers: processes
    (None: decide by size; 1: this process only). min_coverages: crime-data
    coverage cuts, e.g. (None, 90) (see analysis.compare.coverage); crime outcomes
    run once per cut (2015 only with cuts up to its 80 % flag), others once.
    """
    options = {m: dict(o) for m, o in (options or {}).items()}
    methods = tuple(methods)
    for name in methods:
        check_method(name)
    for name, opts in options.items():
        make_plan(name, options=opts)  # an unknown method or option stops here
    years = tuple(check_year(y) for y in (years if years is not None else panel_years()))
    outcomes = tuple(outcomes if outcomes is not None else OUTCOMES)
    for outcome in outcomes:
        outcome_years(outcome)  # raises for an unknown outcome
    min_coverages = tuple(check_min_coverage(c) for c in min_coverages) or (None,)
    covariate_sets = tuple(covariate_sets)
    for covariates in covariate_sets:
        resolve_covariates(covariates)
    comparisons = tuple(comparisons)
    if panel is None:
        from ..panel import load_panel

        panel = load_panel()

    if statuses is None:
        from .definitions import definition_status, sanctuary_definitions

        names = list(definitions) if definitions is not None else sanctuary_definitions()
        statuses = {name: definition_status(name) for name in names}
    else:
        statuses = dict(statuses)
        if definitions is not None:
            statuses = {name: statuses[name] for name in definitions}
    if not statuses:
        raise AnalysisError("no definition to run")

    if comparison_statuses is None:
        from .definitions import comparison_status

        comparison_by_definition = {
            (d, c): comparison_status(d, c) for d in statuses for c in comparisons
        }
    else:
        comparison_by_definition = {
            (d, c): comparison_statuses[c] for d in statuses for c in comparisons
        }
    # Give each (definition, comparison) pair a key the workers can look up.
    comparison_table = {f"{d}|{c}": s for (d, c), s in comparison_by_definition.items()}
    comparison_table.update({"all": None})

    has_values = {o: years_with_values(panel, o) & set(outcome_years(o)) for o in outcomes}
    groups = []
    for definition in statuses:
        for comparison in comparisons:
            key = "all" if comparison == "all" else f"{definition}|{comparison}"
            groups += _tasks(
                definition,
                key,
                years,
                outcomes,
                methods,
                covariate_sets,
                options,
                has_values,
                min_coverages,
            )
    n_specs = sum(len(g[4]) for g in groups)
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if n_specs >= PARALLEL_THRESHOLD else 1

    if workers <= 1:
        from threadpoolctl import threadpool_limits

        _init_worker(panel, statuses, comparison_table)
        try:
            with threadpool_limits(1, user_api="blas"):
                chunks = [_run_group(g) for g in groups]
        finally:
            _STATE.clear()
    else:
        # Longest groups first, so the last ones to finish are short.
        order = sorted(range(len(groups)), key=lambda i: -len(groups[i][4]))
        with ProcessPoolExecutor(
            workers, initializer=_init_worker, initargs=(panel, statuses, comparison_table, True)
        ) as pool:
            done = dict(zip(order, pool.map(_run_group, [groups[i] for i in order])))
        chunks = [done[i] for i in range(len(groups))]
    table = result_table([row for chunk in chunks for row in chunk])
    table.attrs["left_out"] = _left_out(panel, outcomes, years, methods, options)
    return table


def _left_out(panel, outcomes, years, methods, options) -> list[dict]:
    """The (outcome, year) pairs the sources give but this panel has no value
    for (an optional source absent), so no specification was run for them; the
    difference-in-differences counts when a year it needs is among them."""
    rows = []
    for outcome in outcomes:
        wanted = set(years) & set(outcome_years(outcome))
        if "did" in methods and outcome not in CONSTANT_OUTCOMES:
            from .did import POST_YEARS, PRE_YEARS

            did_options = options.get("did", {})
            wanted |= {*did_options.get("pre", PRE_YEARS), *did_options.get("post", POST_YEARS)}
        gone = absent_years(panel, outcome, wanted & set(outcome_years(outcome)))
        if gone:
            rows.append({"outcome": outcome, "years": gone, "reason": notice(gone)})
    return rows


def sign_agreement(table: pd.DataFrame) -> pd.DataFrame:
    """Per outcome: how many specifications there are, and what share of them
    put the sanctuary counties below or above the comparison, and with a 95 %
    interval that excludes zero."""
    usable = table.dropna(subset=["estimate"])
    summary = usable.groupby("outcome").agg(
        specifications=("estimate", "size"),
        share_lower_pct=("estimate", lambda e: 100 * (e < 0).mean()),
        share_higher_pct=("estimate", lambda e: 100 * (e > 0).mean()),
        share_clearly_lower_pct=("ci_high", lambda h: 100 * (h < 0).mean()),
        share_clearly_higher_pct=("ci_low", lambda lo: 100 * (lo > 0).mean()),
        median_estimate=("estimate", "median"),
    )
    summary["not_estimable"] = table.groupby("outcome")["estimate"].apply(
        lambda e: int(e.isna().sum())
    )
    return summary.reset_index()
