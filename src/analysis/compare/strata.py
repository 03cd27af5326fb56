"""Results within NCHS 2013 urban-rural classes, the county-size groups the
2017 CAP report used: a base method (matching by default) run separately in
each class, so focal counties are compared only with counties of the same
class. The NCHS class is dropped from the covariates inside a class, where it
is constant.
"""

from __future__ import annotations

import numpy as np

from .choices import NCHS_CLASSES, check_choice
from .design import Design
from .engine import make_plan, plan_rows
from .methods import method

STRATUM_COLUMN = "nchs_urban_rural_2013"
BASE_METHODS = ("raw", "match", "regression", "ipw", "permutation")


def strata_rows(
    design: Design,
    outcome: str,
    base: str = "match",
    covariates: tuple[str, ...] = (),
    covariate_label: str = "",
    details: list | None = None,
    **base_options,
) -> list[dict]:
    """`base` (with `base_options`, checked by the engine) within each NCHS class."""
    check_choice("strata base method", base, BASE_METHODS)
    inner = tuple(c for c in covariates if c != STRATUM_COLUMN)
    label = (
        covariate_label if inner == covariates else (f"{covariate_label} without {STRATUM_COLUMN}")
    )
    if "exact" in base_options:  # constant within a class, so only other columns still matter
        base_options["exact"] = tuple(c for c in base_options["exact"] if c != STRATUM_COLUMN)
    uses_covariates = method(base).covariates
    plan = make_plan(
        base,
        inner if uses_covariates else None,
        base_options,
        covariate_label=label if uses_covariates else None,
    )
    classes = design.column(STRATUM_COLUMN)
    rows = []
    for code, name in NCHS_CLASSES.items():
        sub = design.subset(classes == code)
        extra_details: list | None = [] if details is not None else None
        found = plan_rows(plan, sub, outcome, extra_details)
        for row in found:
            row["method"] = "strata"
            row["base_method"] = base
            row["stratum"] = code
            row["stratum_label"] = name
        rows.extend(found)
        if details is not None and extra_details:
            for row in extra_details:
                row["stratum"] = code
            details.extend(extra_details)
    missing = int(np.isnan(classes).sum())
    if missing:
        for row in rows:
            row["note"] = "; ".join(
                filter(
                    None,
                    [row["note"], f"{missing} counties have no NCHS class and are in no stratum"],
                )
            )
    return rows
