"""The comparison engine: sanctuary (focal) counties against the comparison
group, by several methods, for any definition, year and outcome.

    from analysis.compare import compare, match, specification_curve
    table = compare("ice2014", "match", 2015, "poverty_pct")
    table, balance = match(panel, status, 2015, balance=True)

Estimators take the panel and a status Series; `compare` resolves a
definition name; `specification_curve` runs every combination in one call.
statsmodels is never imported: the tests check the numpy formulas against it.

Every module of the engine is imported here, by name (the estimators through the
method table, analysis.compare.methods): a page that compares anything depends on
all of them, and the Make rules (analysis.reports.rules), which follow imports, see
exactly that.
"""

from __future__ import annotations

from .api import (
    border,
    border_pairs_of,
    compare,
    counties_by_group,
    did,
    event_study,
    ipw,
    match,
    matched_sets,
    permutation,
    raw,
    regression,
    sdid,
    side_by_side,
    strata,
    synth,
)
from .choices import (
    COVARIATE_SETS,
    COVARIATES,
    CRIME_OUTCOMES,
    OUTCOMES,
    WEIGHTS,
    for_unit,
    outcome_years,
    panel_years,
    unit_outcomes,
)
from .curve import specification_curve
from .definitions import adoption_years
from .design import SUMMARY_COLUMNS
from .engine import estimate
from .event import EVENT_CONTROLS
from .groups import Groups, make_groups
from .matching import BALANCE_COLUMNS
from .methods import METHOD_TABLE, METHODS
from .spec import MethodSpec, option
from .stats import EstimationError

__all__ = [
    "BALANCE_COLUMNS",
    "METHOD_TABLE",
    "MethodSpec",
    "COVARIATES",
    "COVARIATE_SETS",
    "CRIME_OUTCOMES",
    "EVENT_CONTROLS",
    "METHODS",
    "OUTCOMES",
    "SUMMARY_COLUMNS",
    "WEIGHTS",
    "EstimationError",
    "Groups",
    "adoption_years",
    "border",
    "border_pairs_of",
    "compare",
    "counties_by_group",
    "did",
    "estimate",
    "event_study",
    "for_unit",
    "ipw",
    "make_groups",
    "match",
    "matched_sets",
    "option",
    "outcome_years",
    "panel_years",
    "permutation",
    "raw",
    "regression",
    "sdid",
    "side_by_side",
    "specification_curve",
    "strata",
    "synth",
    "unit_outcomes",
]
