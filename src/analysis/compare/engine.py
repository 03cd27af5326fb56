"""Dispatch: one method, one design, one outcome -> result rows; and the
core entry `estimate(panel, status, method, ...)` that the per-method
functions, the name-resolving layer and the specification curve share.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

import pandas as pd

from ..availability import absent_years, notice
from ..errors import AnalysisError, NotInBuild, UnknownChoice
from .choices import (METHODS, check_method, check_year, outcome_years, resolve_covariates,
                      resolve_outcomes)
from .design import Design, result_table
from .groups import make_groups

# method -> (module, rows function)
_ROWS = {
    "raw": ("descriptive", "raw_rows"),
    "permutation": ("descriptive", "permutation_rows"),
    "match": ("matching", "match_rows"),
    "regression": ("adjust", "regression_rows"),
    "ipw": ("adjust", "ipw_rows"),
    "strata": ("strata", "strata_rows"),
    "did": ("did", "did_rows"),
}
USES_COVARIATES = {"match", "regression", "ipw", "strata"}
# Options each method accepts (besides covariates), so a misspelt option is an
# error rather than silently ignored.
OPTIONS: dict[str, set[str]] = {
    "raw": {"weights", "level"},
    "permutation": {"weights", "n_permutations", "within", "seed", "level"},
    "match": {"n_neighbours", "replacement", "caliper", "exact", "metric", "se", "n_boot",
              "variance_neighbours", "seed", "level"},
    "regression": {"cov_type", "weights", "level"},
    "ipw": {"estimand", "level"},
    "did": {"pre", "post", "reference", "balanced", "level"},
}
DETAILS = {"match": "balance", "strata": "balance", "did": "year-by-year gaps"}


def check_options(method: str, options: dict) -> None:
    allowed = set(OPTIONS.get(method, ()))
    if method == "strata":
        base = options.get("base", "match")
        check_method(base)
        allowed = {"base", *OPTIONS.get(base, ())}
    for name in options:
        if name not in allowed:
            raise UnknownChoice(f"option for method {method!r}", name, allowed)


def method_rows(method: str, design, outcome: str, **options) -> list[dict]:
    module, name = _ROWS[method]
    rows_fn = getattr(importlib.import_module(f".{module}", __package__), name)
    return rows_fn(design, outcome, **options)


def make_design(method: str, panel: pd.DataFrame, groups, year: int | None, options: dict):
    if method == "did":
        from .did import POST_YEARS, PRE_YEARS, PanelDesign

        return PanelDesign(panel, groups, tuple(options.get("pre", PRE_YEARS)),
                           tuple(options.get("post", POST_YEARS)))
    return Design(panel, groups, check_year(year))


def estimate(panel: pd.DataFrame, status: pd.Series, method: str = "raw",
             year: int | None = 2015, outcomes: str | Iterable[str] | None = None,
             comparison: pd.Series | None = None, covariates=None, details: bool = False,
             **options):
    """Run `method` for each outcome on the focal and comparison counties that
    `status` (and, for the strict comparison, `comparison`) define.

    Returns the result table, or (table, details) with details=True: the
    balance table for match and strata, the year-by-year gaps for did.
    """
    check_method(method)
    check_options(method, options)
    if details and method not in DETAILS:
        raise AnalysisError(f"method {method!r} has no details table; methods with one: "
                            f"{', '.join(f'{m} ({d})' for m, d in DETAILS.items())}")
    if not isinstance(panel, pd.DataFrame):
        raise AnalysisError("panel must be the county panel as a DataFrame "
                            "(analysis.load_panel())")
    groups = make_groups(status, comparison)
    year_used = None if method == "did" else check_year(year)
    names = resolve_outcomes(outcomes, year_used)
    if method == "did":
        from .choices import CONSTANT_OUTCOMES
        from .did import POST_YEARS, PRE_YEARS

        needed = {*options.get("pre", PRE_YEARS), *options.get("post", POST_YEARS)}
        if outcomes is None:
            names = [o for o in names if needed <= set(outcome_years(o))
                     and o not in CONSTANT_OUTCOMES]
    design = make_design(method, panel, groups, year_used, options)
    if method in ("did",):
        options = {k: v for k, v in options.items() if k not in ("pre", "post")}
    if method in USES_COVARIATES:
        label, columns = resolve_covariates(covariates)
        options.update(covariates=columns, covariate_label=label)
    elif covariates is not None:
        raise AnalysisError(f"method {method!r} takes no covariates; methods that do: "
                            f"{', '.join(sorted(USES_COVARIATES))}")
    rows, extra = [], ([] if details else None)
    needed = design.years if method == "did" else (year_used,)
    for outcome in names:
        # Years the sources give but this panel lacks: an optional source (ICPSR) is
        # absent. Years no source gives are the estimators' own error.
        gone = absent_years(panel, outcome, set(needed) & set(outcome_years(outcome)))
        if gone:
            if outcomes is not None:
                raise NotInBuild(f"{outcome}: {notice(gone)}")
            rows.append(design.failed_row(None, outcome, method, notice(gone)))
            continue
        rows.extend(method_rows(method, design, outcome, details=extra, **options))
    table = result_table(rows)
    if details:
        return table, pd.DataFrame.from_records(extra)
    return table


def methods() -> dict[str, str]:
    return dict(METHODS)
