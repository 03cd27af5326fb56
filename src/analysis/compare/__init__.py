"""The comparison engine: sanctuary (focal) counties against the comparison
group, by several methods, for any definition, year and outcome.

    from analysis.compare import compare, match, specification_curve
    table = compare("ice2014", "match", 2015, "poverty_pct")
    table, balance = match(panel, status, 2015, balance=True)

Estimators take the panel and a status Series; `compare` resolves a
definition name; `specification_curve` runs every combination in one call.
Names are imported on first use (so the command line stays fast), and
statsmodels is never imported: the tests check the numpy formulas against it.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "compare": "api",
    "raw": "api",
    "permutation": "api",
    "match": "api",
    "regression": "api",
    "ipw": "api",
    "strata": "api",
    "did": "api",
    "event_study": "api",
    "event_variants": "api",
    "adoption_years": "definitions",
    "EVENT_CONTROLS": "event",
    "matched_sets": "api",
    "side_by_side": "api",
    "SUMMARY_COLUMNS": "design",
    "BALANCE_COLUMNS": "matching",
    "counties_by_group": "api",
    "border_pairs_of": "api",
    "at_a_glance": "api",
    "estimate": "engine",
    "specification_curve": "curve",
    "make_groups": "groups",
    "Groups": "groups",
    "EstimationError": "stats",
    "OUTCOMES": "choices",
    "COVARIATES": "choices",
    "COVARIATE_SETS": "choices",
    "METHODS": "methods",
    "outcome_years": "choices",
    "for_unit": "choices",
    "unit_outcomes": "choices",
    "panel_years": "choices",
    "WEIGHTS": "choices",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis.compare' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)
