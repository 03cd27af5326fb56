"""The one path from a request to result rows, shared by `estimate` (and so
every per-method function and `compare`) and by the specification curve:

    plan = make_plan("match", covariates="cap", options={"caliper": 0.2})
    design = make_design(plan, panel, groups, 2015)
    rows = plan_rows(plan, design, "poverty_pct")

`make_plan` checks the method, its options (an unknown or misspelt option is an
error listing the valid ones; see analysis.compare.spec) and its covariates once;
`make_design` lays out the units for one year or the panel years, as the method's
spec says; `plan_rows` runs the method for one outcome.

The unit (analysis.panels.units) is resolved here, at the edge, from a name or a
Unit; everything below takes the Unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ..core.errors import AnalysisError, NotInBuild
from ..panels.availability import absent_years, notice
from ..panels.units import (
    CONSTANT_OUTCOMES,
    COVERAGE_CUT,
    DEFAULT_UNIT,
    PANEL,
    Unit,
    check_year,
    outcome_years,
    resolve_covariates,
    resolve_outcomes,
)
from ..panels.units import unit as lookup_unit
from . import cache, population
from .coverage import annotate, apply_min_coverage, check_min_coverage, flag_only_years
from .design import result_table
from .groups import make_groups
from .methods import METHOD_TABLE, USES_COVARIATES
from .methods import method as lookup_method
from .spec import MethodSpec
from .strata import base_inputs


@dataclass(frozen=True)
class Plan:
    """A method with its options and covariates checked and resolved."""

    method: MethodSpec
    options: object  # the method's options dataclass
    covariates: tuple[str, ...] = ()
    covariate_label: str = ""
    base: Plan | None = None  # the base method a method runs within classes (strata)

    @property
    def name(self) -> str:
        return self.method.name

    @property
    def over_years(self) -> bool:
        """Whether the design spans several years (did, event; border with pre/post)
        rather than one."""
        return self.method.over_years(self.options)

    def option(self, name: str, default=None):
        return getattr(self.options, name, default)


def make_plan(
    name: str,
    covariates=None,
    options: dict | None = None,
    covariate_label: str | None = None,
    unit: Unit = DEFAULT_UNIT,
) -> Plan:
    """Check `name`, `options` and `covariates` (a set name, a list of columns, or None
    for the unit's default set, for the methods that take covariates) once."""
    spec = lookup_method(name)
    options = dict(options or {})
    base = None
    if spec.takes_base:
        base_name = options.get("base", spec.options().base)
        base_spec = lookup_method(base_name)
        own = {o.name for o in spec.option_list()}
        parsed = spec.parse(options, extra=[o.name for o in base_spec.option_list()])
        base_options = {k: v for k, v in options.items() if k not in own}
        columns, label = _covariates(spec, covariates, unit)
        inner, inner_label, base_options = base_inputs(columns, label, base_options)
        base = make_plan(
            base_name,
            inner if base_spec.covariates else None,
            base_options,
            covariate_label=inner_label if base_spec.covariates else None,
            unit=unit,
        )
        return Plan(spec, parsed, columns, covariate_label or label, base)
    parsed = spec.parse(options)
    columns, label = _covariates(spec, covariates, unit)
    return Plan(spec, parsed, columns, covariate_label or label)


def _covariates(spec: MethodSpec, covariates, unit: Unit) -> tuple[tuple[str, ...], str]:
    if spec.covariates and spec.default_covariates == "none" and covariates in (None, "none"):
        return (), "none"  # a method whose default is no covariates (event)
    if spec.covariates:
        label, columns = resolve_covariates(covariates, unit)
        return tuple(columns), label
    if covariates is not None:
        raise AnalysisError(
            f"method {spec.name!r} takes no covariates; methods that do: "
            f"{', '.join(sorted(USES_COVARIATES))}"
        )
    return (), ""


def make_design(plan: Plan, panel: pd.DataFrame, groups, year: int | None):
    return plan.method.design(panel, groups, year, plan.options)


def plan_rows(plan: Plan, design, outcome: str, details: list | None = None) -> list[dict]:
    """Result rows of the plan's method for one outcome; with a `details` list, the
    method's second table (balance, year-by-year gaps) is appended to it."""
    kwargs = plan.method.row_options(plan.options)
    if plan.base is not None:
        kwargs["run_base"] = lambda sub, extra: plan_rows(plan.base, sub, outcome, extra)
    elif plan.method.covariates:
        kwargs.update(covariates=plan.covariates, covariate_label=plan.covariate_label)
    if plan.method.details:
        kwargs["details"] = details
    return plan.method.rows(design, outcome, **kwargs)


def check_request(method: str, covariates, options: dict, unit: str | Unit = DEFAULT_UNIT):
    """Check a request before any data are read: the method, its options and covariates,
    and the choices every method takes (min_coverage, min_population, states), which are
    taken out of `options`. Returns (unit, min_coverage, population cut, states, plan)."""
    the_unit = lookup_unit(unit)
    min_coverage = check_min_coverage(options.pop("min_coverage", None))
    if min_coverage is not None:
        the_unit.requires(COVERAGE_CUT, "min_coverage, the cut on the county crime files' "
                          "coverage indicator,")  # fmt: skip
    cut = population.check_min_population(
        options.pop("min_population", the_unit.default_min_population)
    )
    states = population.check_states(options.pop("states", None))
    spec = lookup_method(method)
    the_unit.requires(spec.requires, f"method {method!r}")
    plan = make_plan(method, covariates, options, unit=the_unit)
    return the_unit, min_coverage, cut, states, plan


def estimate(
    panel: pd.DataFrame,
    status: pd.Series,
    method: str = "raw",
    year: int | None = 2015,
    outcomes: str | Iterable[str] | None = None,
    comparison: pd.Series | None = None,
    covariates=None,
    details: bool = False,
    unit: str | Unit = DEFAULT_UNIT,
    **options,
):
    """Run `method` for each outcome on the focal and comparison units (of `unit`: a
    name in analysis.panels.units, or a Unit) that `status` (and, for the strict
    comparison, `comparison`) define.

    Returns the result table, or (table, details) with details=True: the
    balance table for match and strata, the year-by-year gaps for did.

    An estimate already made from the same inputs and code is read from the estimate
    cache (analysis.compare.cache) instead.
    """

    def run():
        return _estimate(
            panel, status, method, year, outcomes, comparison, covariates, details, unit, **options
        )

    if not cache.enabled():
        return run()
    # One entry for a request with or without its details: the table is the same.
    name = cache.key(
        panel=panel, status=status, method=method, year=year, outcomes=outcomes,
        comparison=comparison, covariates=covariates, unit=lookup_unit(unit).name,
        options=options,
    )  # fmt: skip
    found = cache.load(name)
    if found is None or (details and found["details"] is None):
        result = run()
        table, extra = result if details else (result, None)
        found = {"table": table, "details": extra}
        cache.store(name, found)
    return (found["table"], found["details"]) if details else found["table"]


def _estimate(panel, status, method, year, outcomes, comparison, covariates, details, unit,
              **options):  # fmt: skip
    """`estimate` without the cache: its arguments, in its order."""
    the_unit, min_coverage, cut, states, plan = check_request(method, covariates, options, unit)
    if details and not plan.method.details:
        with_details = {m.name: m.details for m in METHOD_TABLE.values() if m.details}
        raise AnalysisError(
            f"method {method!r} has no details table; methods with one: "
            f"{', '.join(f'{m} ({d})' for m, d in with_details.items())}"
        )
    if not isinstance(panel, pd.DataFrame):
        raise AnalysisError(
            f"panel must be the {the_unit.singular} panel as a DataFrame "
            f"(analysis.load_panel(unit={the_unit.name!r}))"
        )
    year_used = None if plan.over_years else check_year(year, the_unit)
    small = population.units_below(panel, cut, the_unit.key, year_used)
    groups_all = make_groups(status, comparison, the_unit)
    elsewhere = population.outside_states(panel, status, states, the_unit)
    status = population.without(status, elsewhere)
    groups = make_groups(
        population.without(status, small), population.without(comparison, small), the_unit
    )
    as_built = panel
    panel, below_cut = apply_min_coverage(panel, min_coverage)
    names = resolve_outcomes(outcomes, year_used, the_unit)
    design = make_design(plan, panel, groups, year_used)
    needed = design.years if year_used is None else (year_used,)
    if plan.method.requires == PANEL and outcomes is None:
        # did needs every year of its design; an event study, two years of the outcome
        enough = (
            (lambda o: len(set(needed) & set(outcome_years(o, the_unit))) >= 2)
            if plan.method.gaps_allowed
            else (lambda o: set(needed) <= set(outcome_years(o, the_unit)))
        )
        names = [o for o in names if enough(o) and o not in CONSTANT_OUTCOMES]
    rows, extra = [], ([] if details else None)
    for outcome in names:
        # Years the sources give but this panel lacks: an optional source (ICPSR) is
        # absent. Years no source gives are the estimators' own error.
        gone = absent_years(as_built, outcome, set(needed) & set(outcome_years(outcome, the_unit)))
        # An event study takes the years it has (2015 then is a gap, said in the note);
        # a comparison of chosen years cannot leave one out.
        unusable = not plan.method.gaps_allowed and flag_only_years(outcome, needed, min_coverage)
        if unusable:
            if outcomes is not None:
                raise AnalysisError(f"{outcome}: {unusable}")
            rows.append(_unavailable_row(design.groups, year_used, outcome, method, unusable))
            continue
        if gone:
            if outcomes is not None:
                raise NotInBuild(f"{outcome}: {notice(gone)}")
            rows.append(_unavailable_row(design.groups, year_used, outcome, method, notice(gone)))
            continue
        rows.extend(plan_rows(plan, design, outcome, extra))
    annotate(rows, below_cut, groups, min_coverage, needed)
    population.annotate(rows, small, groups_all, cut)
    population.annotate_states(rows, elsewhere, groups_all, states)
    table = result_table(rows)
    if details:
        return table, pd.DataFrame.from_records(extra)
    return table


def _unavailable_row(groups, year: int | None, outcome: str, method: str, reason: str) -> dict:
    """The row of an outcome this build has no data for, whatever the design."""
    return {
        "unit": groups.unit.name,
        "definition": groups.definition,
        "comparison": groups.comparison,
        "focal_group": groups.focal_group,
        "year": year,
        "outcome": outcome,
        "method": method,
        "estimate": float("nan"),
        "n_focal": len(groups.focal),
        "n_comparison": len(groups.control),
        "n_overlap_excluded": groups.n_overlap_excluded,
        "note": f"not estimated: {reason}",
    }
