"""The one path from a request to result rows, shared by `estimate` (and so
every per-method function and `compare`) and by the specification curve:

    plan = make_plan("match", covariates="cap", options={"caliper": 0.2})
    design = make_design(plan, panel, groups, 2015)
    rows = plan_rows(plan, design, "poverty_pct")

`make_plan` checks the method, its options (an unknown or misspelt option is an
error listing the valid ones) and its covariates once; `make_design` lays out
the counties for one year or, for difference-in-differences, the panel years;
`plan_rows` runs the method for one outcome.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from ..core.errors import AnalysisError, NotInBuild, UnknownChoice
from ..panels.availability import absent_years, notice
from ..panels.units import unit as lookup_unit
from ..panels.years import default_window
from . import population
from .border import BorderDesign
from .choices import (
    CONSTANT_OUTCOMES,
    WEIGHTS,
    check_year,
    outcome_years,
    resolve_covariates,
    resolve_outcomes,
)
from .coverage import annotate, apply_min_coverage, check_min_coverage, flag_only_years
from .descriptive import WEIGHTINGS
from .design import Design, result_table
from .did import POST_YEARS, PRE_YEARS, PanelDesign
from .event import EventDesign
from .groups import make_groups
from .methods import DESIGN_OPTIONS, METHOD_TABLE, USES_COVARIATES, Method
from .methods import method as lookup_method


@dataclass(frozen=True)
class Plan:
    """A method with its options and covariates checked and resolved."""

    method: Method
    covariates: tuple[str, ...] = ()
    covariate_label: str = ""
    design_options: dict = field(default_factory=dict)  # the panel design's years (did)
    options: dict = field(default_factory=dict)  # for the rows function

    @property
    def name(self) -> str:
        return self.method.name

    @property
    def over_years(self) -> bool:
        """Whether the design spans several years (did, event; border with pre/post)
        rather than one."""
        return self.method.panel or (
            self.method.layout == "border" and "post" in self.design_options
        )


def check_options(name: str, options: dict) -> None:
    """Stop on an option the method does not take (strata: or its base method), and on a
    confidence level or a number of draws no estimate can have."""
    allowed = set(lookup_method(name).options)
    if name == "strata":
        base = options.get("base", "match")
        allowed |= lookup_method(base).options
    for option in options:
        if option not in allowed:
            raise UnknownChoice(f"option for method {name!r}", option, allowed)
    level = options.get("level", 0.95)
    if not (isinstance(level, int | float) and 0 < level < 1):
        raise AnalysisError(f"level must be a confidence level between 0 and 1, not {level!r}")
    if "weights" in options:
        valid = WEIGHTINGS if name == "raw" else WEIGHTS
        if options["weights"] not in valid:
            raise UnknownChoice("weights", options["weights"], valid)
    draws = options.get("n_permutations", 1)
    if not (isinstance(draws, int) and draws >= 1):
        raise AnalysisError(f"n_permutations (--permutations) must be at least 1, not {draws!r}")


def make_plan(
    name: str,
    covariates=None,
    options: dict | None = None,
    covariate_label: str | None = None,
    unit: str = "county",
) -> Plan:
    """Check `name`, `options` and `covariates` (a set name, a list of columns, or None
    for the unit's default set, for the methods that take covariates) once."""
    spec = lookup_method(name)
    options = dict(options or {})
    check_options(name, options)
    columns, label = (), ""
    if spec.covariates and spec.default_covariates == "none" and covariates in (None, "none"):
        label = "none"  # a method whose default is no covariates (event)
    elif spec.covariates:
        label, columns = resolve_covariates(covariates, unit)
    elif covariates is not None:
        raise AnalysisError(
            f"method {name!r} takes no covariates; methods that do: "
            f"{', '.join(sorted(USES_COVARIATES))}"
        )
    design_options = {
        k: options.pop(k) if k == "adoption" else tuple(options.pop(k))
        for k in DESIGN_OPTIONS & set(options)
    }
    return Plan(spec, tuple(columns), covariate_label or label, design_options, options)


def make_design(plan: Plan, panel: pd.DataFrame, groups, year: int | None):
    if plan.method.layout == "border":
        options = plan.design_options
        return BorderDesign(panel, groups, year, options.get("pre", ()), options.get("post", ()))
    if plan.method.layout == "event":
        options = plan.design_options
        return EventDesign(
            panel, groups, options.get("adoption"), options.get("years", tuple(default_window()))
        )
    if plan.method.layout == "did":
        return PanelDesign(
            panel,
            groups,
            plan.design_options.get("pre", PRE_YEARS),
            plan.design_options.get("post", POST_YEARS),
        )
    return Design(panel, groups, check_year(year))


def plan_rows(plan: Plan, design, outcome: str, details: list | None = None) -> list[dict]:
    """Result rows of the plan's method for one outcome; with a `details` list, the
    method's second table (balance, year-by-year gaps) is appended to it."""
    kwargs = dict(plan.options)
    if plan.method.covariates:
        kwargs.update(covariates=plan.covariates, covariate_label=plan.covariate_label)
    if plan.method.details:
        kwargs["details"] = details
    return plan.method.rows_function()(design, outcome, **kwargs)


def check_request(method: str, covariates, options: dict, unit: str = "county"):
    """Check a request before any data are read: the method, its options and covariates,
    and the choices every method takes (min_coverage, min_population, states), which are
    taken out of `options`. Returns (unit, min_coverage, population cut, states, plan)."""
    the_unit = lookup_unit(unit)
    min_coverage = check_min_coverage(options.pop("min_coverage", None))
    if min_coverage is not None and the_unit.name != "county":
        raise AnalysisError(
            "min_coverage cuts on the county crime files' coverage indicator; the FBI's city "
            "table lists only agencies that reported all 12 months, so cities need no cut."
        )
    cut = population.check_min_population(
        options.pop("min_population", the_unit.default_min_population)
    )
    states = population.check_states(options.pop("states", None))
    plan = make_plan(method, covariates, options, unit=the_unit.name)
    if the_unit.name not in plan.method.units:
        raise AnalysisError(f"method {method!r}: {plan.method.units_note}")
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
    unit: str = "county",
    **options,
):
    """Run `method` for each outcome on the focal and comparison units (counties, or
    cities with unit="city") that `status` (and, for the strict comparison,
    `comparison`) define.

    Returns the result table, or (table, details) with details=True: the
    balance table for match and strata, the year-by-year gaps for did.
    """
    the_unit, min_coverage, cut, states, plan = check_request(method, covariates, options, unit)
    if details and not plan.method.details:
        with_details = {m.name: m.details for m in METHOD_TABLE.values() if m.details}
        raise AnalysisError(
            f"method {method!r} has no details table; methods with one: "
            f"{', '.join(f'{m} ({d})' for m, d in with_details.items())}"
        )
    if not isinstance(panel, pd.DataFrame):
        raise AnalysisError(
            f"panel must be the {the_unit.name} panel as a DataFrame "
            f"(analysis.load_panel(unit={the_unit.name!r}))"
        )
    year_used = None if plan.over_years else check_year(year, the_unit.name)
    small = population.units_below(panel, cut, the_unit.key, year_used)
    groups_all = make_groups(status, comparison, the_unit)
    elsewhere = population.outside_states(panel, status, states, the_unit)
    status = population.without(status, elsewhere)
    groups = make_groups(
        population.without(status, small), population.without(comparison, small), the_unit
    )
    as_built = panel
    panel, below_cut = apply_min_coverage(panel, min_coverage)
    names = resolve_outcomes(outcomes, year_used, the_unit.name)
    design = make_design(plan, panel, groups, year_used)
    needed = design.years if year_used is None else (year_used,)
    if plan.method.panel and outcomes is None:
        # did needs every year of its design; an event study, two years of the outcome
        enough = (
            (lambda o: len(set(needed) & set(outcome_years(o, the_unit.name))) >= 2)
            if plan.method.layout == "event"
            else (lambda o: set(needed) <= set(outcome_years(o, the_unit.name)))
        )
        names = [o for o in names if enough(o) and o not in CONSTANT_OUTCOMES]
    rows, extra = [], ([] if details else None)
    for outcome in names:
        # Years the sources give but this panel lacks: an optional source (ICPSR) is
        # absent. Years no source gives are the estimators' own error.
        gone = absent_years(
            as_built, outcome, set(needed) & set(outcome_years(outcome, the_unit.name))
        )
        # An event study takes the years it has (2015 then is a gap, said in the note);
        # a comparison of chosen years cannot leave one out.
        unusable = plan.method.layout != "event" and flag_only_years(outcome, needed, min_coverage)
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
