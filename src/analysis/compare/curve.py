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
from ..panels import load
from ..panels.availability import absent_years, notice, years_with_values
from ..panels.units import (
    CONSTANT_OUTCOMES,
    COVARIATE_SETS,
    COVERAGE_CUT,
    CRIME_OUTCOMES,
    DEFAULT_UNIT,
    Unit,
    check_year,
    measurable,
    outcome_years,
    resolve_covariates,
)
from ..panels.units import unit as lookup_unit
from . import definitions as by_name  # definitions looked up by name (test seam)
from . import population
from .coverage import annotate, apply_min_coverage, check_min_coverage, flag_only_years
from .design import result_table
from .engine import Plan, _unavailable_row, make_design, make_plan, plan_rows
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


def _cut_panel(unit: Unit, min_coverage: float | None, cut: float | None, year: int | None):
    """The unit's panel with crime below `min_coverage` blanked (once per worker and
    coverage cut), and the units under the population cut (once per cut and year)."""
    covered = _STATE.setdefault("covered", {})
    panel = _STATE["panels"][unit.name]
    if (unit.name, min_coverage) not in covered:
        covered[unit.name, min_coverage] = apply_min_coverage(panel, min_coverage)
    small = _STATE.setdefault("small", {})
    if (unit.name, cut, year) not in small:
        small[unit.name, cut, year] = units_below(panel, cut, unit.key, year)
    return (*covered[unit.name, min_coverage], small[unit.name, cut, year])


def _run_group(group: tuple) -> list[dict]:
    unit, definition, comparison, year, min_coverage, cut, tasks = group
    statuses, comparisons = _STATE["statuses"], _STATE["comparisons"]
    panel, below_cut, small = _cut_panel(unit, min_coverage, cut, year)
    status, other = statuses[(definition, unit.name)], comparisons[comparison]
    every = make_groups(status, other, unit)
    groups = make_groups(population.without(status, small), population.without(other, small), unit)
    rows: list[dict] = []
    designs: dict[object, object] = {}
    for plan, outcome in tasks:
        if _needs_dates(plan) and plan.option("adoption") is None:
            reason = f"{definition} does not date its policies: no adoption year to study"
            rows.append(_unavailable_row(groups, None, outcome, plan.name, reason))
            continue
        # One design per year for the one-year methods, one per plan for the others.
        key = id(plan) if plan.over_years else plan.method.design
        if key not in designs:
            designs[key] = make_design(plan, panel, groups, year)
        design = designs[key]
        found = plan_rows(plan, design, outcome)
        # A study by year since adoption is one specification: its average after adoption.
        found = [r for r in found if r.get("term") == AFTER_AVERAGE] or found[:1]
        annotate(found, below_cut, groups, min_coverage, design.years if year is None else ())
        population.annotate(found, small, every, cut)
        rows.extend(found)
    return rows


def _needs_dates(plan: Plan) -> bool:
    return "adoption" in {o.name for o in plan.method.option_list()}


def _cuts(outcome: str, years, min_coverages: tuple, unit: Unit) -> tuple:
    """The coverage cuts that apply to an outcome in `years`: every cut for county crime
    (but none above Urban's 80 % flag where 2015 is among them), none for the others."""
    if outcome not in CRIME_OUTCOMES or COVERAGE_CUT not in unit.supports:
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
    for name in methods:
        spec = method(name)
        if spec.requires not in unit.supports:
            continue
        method_options = dict(options.get(name, {}))
        if _needs_dates_spec(spec) and adoption is not None:
            method_options.setdefault("adoption", adoption)  # the caller's own dates win
        plan = make_plan(name, None, method_options, unit=unit)
        if not plan.over_years:
            continue
        needed = set(spec.design_years(plan.options))
        for outcome in outcomes:
            if outcome in CONSTANT_OUTCOMES:
                continue
            have = needed & has_values[outcome]
            # A study by year since adoption takes the years it has (two at least).
            enough = len(have) >= 2 if spec.gaps_allowed else needed <= have
            if enough:
                for coverage in _cuts(outcome, have, min_coverages, unit):
                    panel_tasks.setdefault(coverage, []).append((plan, outcome))
    groups += [
        (unit, definition, comparison, None, coverage, cut, tasks)
        for coverage, tasks in panel_tasks.items()
    ]
    return groups


def _needs_dates_spec(spec) -> bool:
    return "adoption" in {o.name for o in spec.option_list()}


def _year_tasks(outcome, methods, covariate_sets, options, unit: Unit) -> list[tuple]:
    """(plan, outcome) for each one-year method, covariate set and weighting."""
    tasks = []
    for name in methods:
        spec = method(name)
        if spec.requires not in unit.supports or spec.over_years(spec.options()):
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
    units: Iterable[str | Unit] = (DEFAULT_UNIT.name,),
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
    units: names of analysis.panels.units, or Units (the city panel: crime 2010-2019,
    cities of under `min_population` residents left out, by default 10,000); `panel` is the county
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
    units = tuple(lookup_unit(u) for u in units)
    requested_years = tuple(years) if years is not None else None
    requested_outcomes = tuple(outcomes) if outcomes is not None else None
    for outcome in requested_outcomes or ():
        if not any(outcome in u.outcomes for u in units):
            outcome_years(outcome, units[0])  # raises for an unknown outcome
    for year in requested_years or ():
        if not any(year in u.years for u in units):
            check_year(year, units[0])  # raises for a year no unit has
    min_coverages = tuple(check_min_coverage(c) for c in min_coverages) or (None,)
    covariate_sets = tuple(covariate_sets)
    for covariates in covariate_sets:
        resolve_covariates(covariates)
    comparisons = tuple(comparisons)
    panels = dict(panels or {})
    if panel is not None:
        panels[DEFAULT_UNIT.name] = panel
    for unit in units:
        if unit.name not in panels:
            panels[unit.name] = load.load_panel(unit=unit)

    names = _definition_names(definitions, statuses)
    status_table, comparison_table, adoption = _statuses(
        names, units, statuses, comparisons, comparison_statuses,
        any(_needs_dates_spec(method(m)) for m in methods),
    )  # fmt: skip
    if not status_table:
        raise AnalysisError("no definition to run")

    groups = []
    for unit in units:
        unit_years = [y for y in (requested_years or unit.years) if y in unit.years]
        unit_outcome_list = [o for o in (requested_outcomes or unit.outcomes) if o in unit.outcomes]
        has_values = {
            o: years_with_values(panels[unit.name], o) & set(outcome_years(o, unit))
            for o in unit_outcome_list
        }
        cut = check_min_population(
            min_population if min_population is not None else unit.default_min_population
        )
        sets = tuple(c for c in covariate_sets if measurable(c, unit))
        for definition in names:
            if (definition, unit.name) not in status_table:
                continue
            for comparison in comparisons:
                key = "all" if comparison == "all" else f"{definition}|{comparison}|{unit.name}"
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
                    adoption.get((definition, unit.name)),
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
    table.attrs["left_out"] = [
        item
        for unit in units
        for item in _left_out(
            unit,
            panels[unit.name],
            [o for o in (requested_outcomes or unit.outcomes) if o in unit.outcomes],
            requested_years or unit.years,
            methods,
            options,
        )
    ]
    return table


def _definition_names(definitions, statuses) -> list[str]:
    if statuses is not None:
        names = list(statuses)
        return [n for n in names if definitions is None or n in set(definitions)]
    if definitions is not None:
        return list(definitions)

    return by_name.sanctuary_definitions()


def _statuses(names, units, statuses, comparisons, comparison_statuses, dated: bool):
    """(status by (definition, unit name), comparison status by key, adoption years by
    (definition, unit name)) for the definitions and units asked for."""
    status_table, comparison_table, adoption = {}, {"all": None}, {}
    given = statuses is not None  # Series given directly: one unit, the first asked for
    for unit in units[:1] if given else units:
        for name in names:
            status_table[(name, unit.name)] = (
                statuses[name] if given else by_name.definition_status(name, unit)
            )
            for comparison in comparisons:
                if comparison == "all":
                    continue
                comparison_table[f"{name}|{comparison}|{unit.name}"] = (
                    comparison_statuses[comparison]
                    if comparison_statuses is not None
                    else by_name.comparison_status(name, comparison, unit)
                )
            if dated and not given:
                try:
                    adoption[(name, unit.name)] = by_name.adoption_years(name, unit)
                except AnalysisError:
                    adoption[(name, unit.name)] = None  # undated: its rows say why not
    return status_table, comparison_table, adoption


def _left_out(unit: Unit, panel, outcomes, years, methods, options) -> list[dict]:
    """The (outcome, year) pairs the sources give but this panel has no value for (an
    optional source absent), so no specification was run for them; a method over
    several years counts the years it needs."""
    rows = []
    for outcome in outcomes:
        wanted = set(years) & set(outcome_years(outcome, unit))
        if outcome not in CONSTANT_OUTCOMES:
            for name in methods:
                spec = method(name)
                if spec.requires in unit.supports and not spec.gaps_allowed:
                    plan = make_plan(name, None, options.get(name, {}), unit=unit)
                    if plan.over_years:
                        wanted |= set(spec.design_years(plan.options))
        gone = absent_years(panel, outcome, wanted & set(outcome_years(outcome, unit)))
        if gone:
            rows.append(
                {"unit": unit.name, "outcome": outcome, "years": gone, "reason": notice(gone)}
            )
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
