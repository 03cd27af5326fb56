"""What can be compared. The outcomes, the years each exists, the covariates and the
covariate sets are the units' (analysis.panels.units, re-exported here so that
`analysis.compare.OUTCOMES` and friends keep working); the engine's own choices are
here: the weightings, the NCHS urban-rural classes the strata run in, and the check
that turns an unknown choice into an error naming the valid ones. The methods are in
`methods`.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..core.errors import UnknownChoice
from ..panels.units import (  # noqa: F401  (the vocabulary, as the engine's users ask it)
    CONSTANT_OUTCOMES,
    COVARIATE_SETS,
    COVARIATES,
    CRIME_OUTCOMES,
    OUTCOMES,
    check_outcome,
    check_outcome_year,
    check_year,
    for_unit,
    outcome_years,
    panel_years,
    resolve_covariates,
    resolve_outcomes,
    unit_outcomes,
)

NCHS_CLASSES: dict[int, str] = {
    1: "large central metro",
    2: "large fringe metro",
    3: "medium metro",
    4: "small metro",
    5: "micropolitan",
    6: "noncore",
}

WEIGHTS = ("none", "population")


def check_weights(weights: str) -> str:
    if weights not in WEIGHTS:
        raise UnknownChoice("weights", weights, WEIGHTS)
    return weights


def check_choice(kind: str, value: object, valid: Iterable[object]) -> object:
    valid = list(valid)
    if value not in valid:
        raise UnknownChoice(kind, value, valid)
    return value
