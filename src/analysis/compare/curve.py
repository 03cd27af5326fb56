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

from ..core.errors import AnalysisError
from ..geo.regions import REGION_INDICATORS
from ..panels import load
from ..panels.availability import absent_years, notice, years_with_values
from ..panels.units import unit as lookup_unit
from ..panels.years import default_window
from . import definitions as by_name  # definitions looked up by name (test seam)
from . import population
from .choices import (
    CONSTANT_OUTCOMES,
    COVARIATE_SETS,
    CRIME_OUTCOMES,
    check_year,
    outcome_years,
    panel_years,
    resolve_covariates,
    unit_outcomes,
)
from .coverage import annotate, apply_min_coverage, check_min_coverage, flag_only_years
from .design import result_table
from .did import POST_YEARS, PRE_YEARS
from .engine import _unavailable_row, make_design, make_plan, plan_rows
from .event import AFTER_AVERAGE
from .groups import make_groups
from .methods import check_method, method
from .population import check_min_population, units_below

DEFAULT_METHODS = ("raw", "match", "regression", "ipw")
PARALLEL_THRESHOLD = 1000  # specifications; below this process start outweighs the gain

_STATE: dict = {}


def _init_worker(panels, statuses, comparisons, limit_blas: bool = False) -> None:
    if limit_blas:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1, user_api="blas")  # for the life of this worker process
    _STATE.update(panels=panels, statuses=statuses, comparisons=comparisons)


def _cut_panel(unit: str, min_coverage: float | None, cut: float | None, year: int | None):
    """The unit's panel with crime below `min_coverage` blanked (once per worker and
    coverage cut), and the units under the population cut (once per cut and year)."""
    covered = _STATE.setdefault("covered", {})
    if (unit, min_coverage) not in covered:
        covered[unit, min_coverage] = apply_min_coverage(_STATE["panels"][unit], min_coverage)
    small = _STATE.setdefault("small", {})
    if (unit, cut, year) not in small:
        panel = _STATE["panels"][unit]
        small[unit, cut, year] = units_below(panel, cut, lookup_unit(unit).key, year)
    return (*covered[unit, min_coverage], small[unit, cut, year])


def _run_group(group: tuple) -> list[dict]:
    unit, definition, comparison, year, min_coverage, cut, tasks = group
    statuses, comparisons = _STATE["statuses"], _STATE["comparisons"]
    panel, below_cut, small = _cut_panel(unit, min_coverage, cut, year)
    status, other = statuses[(definition, unit)], comparisons[comparison]
    every = make_groups(status, other, unit)
    groups = make_groups(population.without(status, small), population.without(other, small), unit)
    rows: list[dict] = []
    designs: dict[str, object] = {}
    for plan, outcome in tasks:
        layout = plan.method.layout
        if layout == "event" and plan.design_options.get("adoption") is None:
            reason = f"{definition} does not date its policies: no adoption year to study"
            rows.append(_unavailable_row(groups, None, outcome, "event", reason))
            continue
        if layout not in designs:  # one design per year, one per panel layout
            designs[layout] = make_design(plan, panel, groups, year)
        design = designs[layout]
        found = plan_rows(plan, design, outcome)
        if layout == "event":  # the curve's specification is the average after adoption
            found = [r for r in found if r.get("term") == AFTER_AVERAGE] or found[:1]
        annotate(found, below_cut, groups, min_coverage, design.years if year is None else ())
        population.annotate(found, small, every, cut)
        rows.extend(found)
    return rows


def _cuts(outcome: str, years, min_coverages: tuple, unit: str) -> tuple:
    """The coverage cuts that apply to an outcome in `years`: every cut for county crime
    (but none above Urban's 80 % flag where 2015 is among them), none for the others."""
    if outcome not in CRIME_OUTCOMES or unit != "county":
        return (None,)
    return tuple(c for c in min_coverages if not flag_only_years(outcome, years, c))


def _tasks(
    unit,
    definition,
    comparison,
    years,
    outcomes,
    methods,
    covariate_sets,
    options,
    has_values,
    min_coverages,
    cut,
    adoption,
) -> list[tuple]:
    """The work for one unit, definition and comparison, grouped by year, coverage cut
    and design; `has_values` gives the years the panel has each outcome in (see
    `_left_out`)."""
    groups = []
    for year in years:
        by_cut: dict = {}
        for outcome in outcomes:
            if year not in has_values[outcome]:
                continue
            for coverage in _cuts(outcome, [year], min_coverages, unit):
                by_cut.setdefault(coverage, []).extend(
                    _year_tasks(outcome, methods, covariate_sets, options, unit)
                )
        groups += [
            (unit, definition, comparison, year, coverage, cut, tasks)
            for coverage, tasks in by_cut.items()
        ]
    panel_tasks: dict = {}
    if "did" in methods:
        did_options = options.get("did", {})
        needed = {*did_options.get("pre", PRE_YEARS), *did_options.get("post", POST_YEARS)}
        for outcome in outcomes:
            if needed <= has_values[outcome] and outcome not in CONSTANT_OUTCOMES:
                for coverage in _cuts(outcome, needed, min_coverages, unit):
                    panel_tasks.setdefault(coverage, []).append(
                        (make_plan("did", None, did_options, unit=unit), outcome)
                    )
    border_options = options.get("border", {})
    if "border" in methods and unit in method("border").units and "post" in border_options:
        needed = {*border_options.get("pre", ()), *border_options["post"]}
        for outcome in outcomes:
            if needed <= has_values[outcome] and outcome not in CONSTANT_OUTCOMES:
                for coverage in _cuts(outcome, needed, min_coverages, unit):
                    panel_tasks.setdefault(coverage, []).append(
                        (make_plan("border", None, border_options, unit=unit), outcome)
                    )
    if "event" in methods:
        event_options = dict(options.get("event", {}))
        if adoption is not None:  # the definition's dates, unless the caller gave some
            event_options.setdefault("adoption", adoption)
        window = set(event_options.get("years", default_window()))
        for outcome in outcomes:
            if len(window & has_values[outcome]) >= 2 and outcome not in CONSTANT_OUTCOMES:
                for coverage in _cuts(outcome, window & has_values[outcome], min_coverages, unit):
                    panel_tasks.setdefault(coverage, []).append(
                        (make_plan("event", None, event_options, unit=unit), outcome)
                    )
    groups += [
        (unit, definition, comparison, None, coverage, cut, tasks)
        for coverage, tasks in panel_tasks.items()
    ]
    return groups


def _year_tasks(outcome, methods, covariate_sets, options, unit) -> list[tuple]:
    """(plan, outcome) for each one-year method, covariate set and weighting."""
    tasks = []
    for name in methods:
        if method(name).panel or unit not in method(name).units:
            continue
        sets = covariate_sets if method(name).covariates else (None,)
        method_options = options.get(name, {})
        variants = [method_options]
        if name == "raw" and method_options.get("weights", "both") == "both":
            # One specification per weighting, so one task is one row.
            variants = [{**method_options, "weights": w} for w in ("none", "population")]
        plans = [make_plan(name, c, v, unit=unit) for c in sets for v in variants]
        tasks += [(plan, outcome) for plan in plans if not plan.over_years]
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
    units: Iterable[str] = ("county",),
    panels: Mapping[str, pd.DataFrame] | None = None,
    min_population: float | None = None,
) -> pd.DataFrame:
    """Run every combination and return one table (the estimators' columns).

    definitions: names for analysis.jurisdictions (default: every definition
    with sanctuary counties); or pass `statuses` {name: status Series} to use
    Series directly (one unit). comparisons: "all", "cooperating", g287_* ids (or keys
    of `comparison_statuses` {name: Series or None}). options: per-method
    keyword options, e.g. {"match": {"caliper": 0.25}}. workers: processes
    (None: decide by size; 1: this process only). min_coverages: crime-data
    coverage cuts, e.g. (None, 90) (see analysis.compare.coverage); county crime
    outcomes run once per cut (2015 only with cuts up to its 80 % flag), others once.
    units: "county" and/or "city" (the city panel: crime 2010-2019, cities of under
    `min_population` residents left out, by default 10,000); `panel` is the county
    panel, `panels` {unit: panel} any of them (loaded when not given). methods may
    include "did" and "event" (its specification is the average change after
    adoption, for definitions that date their policies).
    """
    options = {m: dict(o) for m, o in (options or {}).items()}
    methods = tuple(methods)
    for name in methods:
        check_method(name)
    for name, opts in options.items():
        make_plan(name, options=opts)  # an unknown method or option stops here
    units = tuple(lookup_unit(u).name for u in units)
    requested_years = tuple(years) if years is not None else None
    requested_outcomes = tuple(outcomes) if outcomes is not None else None
    for outcome in requested_outcomes or ():
        if not any(outcome in unit_outcomes(u) for u in units):
            outcome_years(outcome, units[0])  # raises for an unknown outcome
    for year in requested_years or ():
        if not any(year in panel_years(u) for u in units):
            check_year(year, units[0])  # raises for a year no unit has
    min_coverages = tuple(check_min_coverage(c) for c in min_coverages) or (None,)
    covariate_sets = tuple(covariate_sets)
    for covariates in covariate_sets:
        resolve_covariates(covariates)
    comparisons = tuple(comparisons)
    panels = dict(panels or {})
    if panel is not None:
        panels["county"] = panel
    for unit in units:
        if unit not in panels:
            panels[unit] = load.load_panel(unit=unit)

    names = _definition_names(definitions, statuses)
    status_table, comparison_table, adoption = _statuses(
        names, units, statuses, comparisons, comparison_statuses, "event" in methods
    )
    if not status_table:
        raise AnalysisError("no definition to run")

    groups = []
    for unit in units:
        unit_years = [y for y in (requested_years or panel_years(unit)) if y in panel_years(unit)]
        unit_outcome_list = [
            o for o in (requested_outcomes or unit_outcomes(unit)) if o in unit_outcomes(unit)
        ]
        has_values = {
            o: years_with_values(panels[unit], o) & set(outcome_years(o, unit))
            for o in unit_outcome_list
        }
        cut = check_min_population(
            min_population
            if min_population is not None
            else lookup_unit(unit).default_min_population
        )
        sets = tuple(c for c in covariate_sets if _covariates_fit(c, unit))
        for definition in names:
            if (definition, unit) not in status_table:
                continue
            for comparison in comparisons:
                key = "all" if comparison == "all" else f"{definition}|{comparison}|{unit}"
                groups += _tasks(
                    unit,
                    definition,
                    key,
                    unit_years,
                    unit_outcome_list,
                    methods,
                    sets,
                    options,
                    has_values,
                    min_coverages,
                    cut,
                    adoption.get((definition, unit)),
                )
    n_specs = sum(len(g[-1]) for g in groups)
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if n_specs >= PARALLEL_THRESHOLD else 1

    if workers <= 1:
        from threadpoolctl import threadpool_limits

        _init_worker(panels, status_table, comparison_table)
        try:
            with threadpool_limits(1, user_api="blas"):
                chunks = [_run_group(g) for g in groups]
        finally:
            _STATE.clear()
    else:
        # Longest groups first, so the last ones to finish are short.
        order = sorted(range(len(groups)), key=lambda i: -len(groups[i][-1]))
        with ProcessPoolExecutor(
            workers,
            initializer=_init_worker,
            initargs=(panels, status_table, comparison_table, True),
        ) as pool:
            done = dict(zip(order, pool.map(_run_group, [groups[i] for i in order])))
        chunks = [done[i] for i in range(len(groups))]
    table = result_table([row for chunk in chunks for row in chunk])
    if "min_coverage" not in table:  # no coverage cut asked for: the column says so too
        table["min_coverage"] = float("nan")
    table.attrs["left_out"] = _left_out(
        panels.get("county"),
        [o for o in (requested_outcomes or unit_outcomes("county")) if o in unit_outcomes("county")]
        if "county" in units
        else [],
        requested_years or panel_years("county"),
        methods,
        options,
    )
    return table


def _definition_names(definitions, statuses) -> list[str]:
    if statuses is not None:
        names = list(statuses)
        return [n for n in names if definitions is None or n in set(definitions)]
    if definitions is not None:
        return list(definitions)

    return by_name.sanctuary_definitions()


def _statuses(names, units, statuses, comparisons, comparison_statuses, event: bool):
    """(status by (definition, unit), comparison status by key, adoption years by
    (definition, unit)) for the definitions and units asked for."""
    status_table, comparison_table, adoption = {}, {"all": None}, {}
    given = statuses is not None  # Series given directly: one unit, the first asked for
    for unit in units[:1] if given else units:
        for name in names:
            status_table[(name, unit)] = (
                statuses[name] if given else by_name.definition_status(name, unit)
            )
            for comparison in comparisons:
                if comparison == "all":
                    continue
                comparison_table[f"{name}|{comparison}|{unit}"] = (
                    comparison_statuses[comparison]
                    if comparison_statuses is not None
                    else by_name.comparison_status(name, comparison, unit)
                )
            if event and not given:
                try:
                    adoption[(name, unit)] = by_name.adoption_years(name, unit)
                except AnalysisError:
                    adoption[(name, unit)] = None  # undated: its event rows say why not
    return status_table, comparison_table, adoption


def _covariates_fit(covariates, unit: str) -> bool:
    """Whether a covariate set can be measured for the unit (the city set's region
    indicators exist for cities only)."""
    _, columns = resolve_covariates(covariates)
    return unit == "city" or not set(columns) & set(REGION_INDICATORS)


def _left_out(panel, outcomes, years, methods, options) -> list[dict]:
    """The (outcome, year) pairs the sources give but this county panel has no value
    for (an optional source absent), so no specification was run for them; the
    difference-in-differences counts when a year it needs is among them."""
    rows = []
    if panel is None:
        return rows
    for outcome in outcomes:
        wanted = set(years) & set(outcome_years(outcome))
        if "did" in methods and outcome not in CONSTANT_OUTCOMES:
            did_options = options.get("did", {})
            wanted |= {*did_options.get("pre", PRE_YEARS), *did_options.get("post", POST_YEARS)}
        gone = absent_years(panel, outcome, wanted & set(outcome_years(outcome)))
        if gone:
            rows.append({"outcome": outcome, "years": gone, "reason": notice(gone)})
    return rows


def sign_agreement(table: pd.DataFrame) -> pd.DataFrame:
    """Per unit (when the table has both) and outcome: how many specifications there
    are, and what share of them put the sanctuary units below or above the comparison,
    and with a 95 % interval that excludes zero."""
    keys = ["unit", "outcome"] if table.get("unit", pd.Series()).nunique() > 1 else ["outcome"]
    usable = table.dropna(subset=["estimate"])
    summary = usable.groupby(keys, sort=False).agg(
        specifications=("estimate", "size"),
        share_lower_pct=("estimate", lambda e: 100 * (e < 0).mean()),
        share_higher_pct=("estimate", lambda e: 100 * (e > 0).mean()),
        share_clearly_lower_pct=("ci_high", lambda h: 100 * (h < 0).mean()),
        share_clearly_higher_pct=("ci_low", lambda lo: 100 * (lo > 0).mean()),
        median_estimate=("estimate", "median"),
    )
    summary["not_estimable"] = table.groupby(keys, sort=False)["estimate"].apply(
        lambda e: int(e.isna().sum())
    )
    return summary.reset_index()
