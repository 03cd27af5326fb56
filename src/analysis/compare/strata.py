"""Results within NCHS 2013 urban-rural classes, the county-size groups the
2017 CAP report used: a base method (matching by default) run separately in
each class, so focal counties are compared only with counties of the same
class. The NCHS class is dropped from the covariates inside a class, where it
is constant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .choices import NCHS_CLASSES
from .design import Design, year_design
from .spec import MethodSpec, option

STRATUM_COLUMN = "nchs_urban_rural_2013"
BASE_METHODS = ("raw", "match", "regression", "ipw", "permutation")


def base_inputs(covariates: tuple[str, ...], covariate_label: str, base_options: dict):
    """The base method's covariates, their label and its options within a class: the
    NCHS class, constant there, is left out of both."""
    inner = tuple(c for c in covariates if c != STRATUM_COLUMN)
    label = (
        covariate_label if inner == covariates else f"{covariate_label} without {STRATUM_COLUMN}"
    )
    options = dict(base_options)
    if "exact" in options:  # constant within a class, so only other columns still matter
        options["exact"] = tuple(c for c in options["exact"] if c != STRATUM_COLUMN)
    return inner, label, options


def strata_rows(
    design: Design,
    outcome: str,
    run_base: Callable[[Design, list | None], list[dict]],
    base: str = "match",
    details: list | None = None,
) -> list[dict]:
    """The base method (`run_base(design, details)`, set up by the engine) within each
    NCHS class."""
    classes = design.column(STRATUM_COLUMN)
    rows = []
    for code, name in NCHS_CLASSES.items():
        sub = design.subset(classes == code)
        extra_details: list | None = [] if details is not None else None
        found = run_base(sub, extra_details)
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
        plural = design.groups.unit.plural
        for row in rows:
            row["note"] = "; ".join(
                filter(
                    None,
                    [row["note"], f"{missing} {plural} have no NCHS class and are in no stratum"],
                )
            )
    return rows


@dataclass(frozen=True)
class StrataOptions:
    base: str = option("match", "the method run within each NCHS class", choices=BASE_METHODS)


STRATA = MethodSpec(
    "strata",
    "a base method run within each NCHS urban-rural class",
    StrataOptions,
    strata_rows,
    year_design,
    covariates=True,
    details="balance",
    details_name="balance",
    takes_base=True,
)
