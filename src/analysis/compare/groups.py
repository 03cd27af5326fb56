"""Which units are compared: the focal group of a definition and its
comparison group, built from status Series (unit code -> "sanctuary" /
"cooperating" / "other").

Focal group: the definition's sanctuary counties; a definition that marks
only cooperating counties (the 287(g) lists) has those as its focal group.
Comparison group: every other county of the definition ("all others", the
2017 CAP report's choice), or the counties a 287(g) definition marks
cooperating, leaving out any that the focal definition calls sanctuary (they
stay in the focal group; `n_overlap_excluded` counts them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.errors import AnalysisError, ValidationError
from ..panels.units import DEFAULT_UNIT, Unit
from ..panels.units import unit as lookup_unit

STATUSES = ("sanctuary", "cooperating", "other")
ALL_OTHERS = "all others"


@dataclass(frozen=True)
class Groups:
    definition: str
    comparison: str
    focal_group: str
    focal: np.ndarray  # sorted unit codes (the unit's key: county FIPS, place codes, ...)
    control: np.ndarray  # sorted unit codes, disjoint from focal
    n_overlap_excluded: int
    unit: Unit = DEFAULT_UNIT

    @property
    def key(self) -> str:
        """The panel column that names the units (fips or place)."""
        return self.unit.key


def member_of(codes, units) -> np.ndarray:
    """Whether each code is one of `units` (distinct unit codes), as a boolean array.

    A hash lookup: pandas' `isin` on a string column converts each of the units
    one at a time (a few milliseconds per call for the ~3,000 counties), and the
    specification curve asks thousands of times."""
    codes = pd.Index(codes)
    if not len(units):
        return np.zeros(len(codes), dtype=bool)
    return pd.Index(units).get_indexer(codes.astype(str)) >= 0


def _check_status(status: pd.Series, role: str, unit: Unit) -> pd.Series:
    if not isinstance(status, pd.Series):
        raise AnalysisError(
            f"the {role} must be a pandas Series indexed by the {unit.singular}'s code "
            f"({unit.key}) "
            f"with values {', '.join(STATUSES)}; got {type(status).__name__}"
        )
    index = status.index.astype(str)
    if index.has_duplicates:
        dupes = sorted(set(index[index.duplicated()]))[:5]
        raise ValidationError(
            f"the {role} {status.name!r} lists {unit.plural} more than once: {', '.join(dupes)}"
        )
    bad = sorted(set(status.dropna().astype(str).unique()) - set(STATUSES))
    if bad or status.isna().any():
        shown = bad[:5] if bad else ["<missing>"]
        raise ValidationError(
            f"the {role} {status.name!r} has values {shown}; every {unit.singular} "
            f"must be one of {', '.join(STATUSES)}"
        )
    return pd.Series(status.astype(str).to_numpy(), index=index, name=status.name)


def make_groups(
    status: pd.Series, comparison: pd.Series | None = None, unit: str | Unit = DEFAULT_UNIT
) -> Groups:
    """Focal and comparison units (counties, or cities) from a definition's status
    Series and, for the strict comparison, a 287(g) definition's status Series."""
    unit = lookup_unit(unit)
    status = _check_status(status, "status", unit)
    name = str(status.name) if status.name is not None else "status"
    if (status == "sanctuary").any():
        focal_group = "sanctuary"
    elif (status == "cooperating").any():
        focal_group = "cooperating"
    else:
        raise AnalysisError(
            f"definition {name!r} marks no {unit.singular} sanctuary or cooperating: "
            "there is nothing to compare"
        )
    focal = status.index[status == focal_group]
    if comparison is None:
        control = status.index[status != focal_group]
        label, overlap = ALL_OTHERS, 0
    else:
        if focal_group == "cooperating":
            raise AnalysisError(
                f"definition {name!r} marks cooperating {unit.plural} itself; "
                "compare it with all others (comparison 'all')"
            )
        comparison = _check_status(comparison, "comparison status", unit)
        other = str(comparison.name) if comparison.name is not None else "comparison"
        cooperating = comparison.index[comparison == "cooperating"]
        if len(cooperating) == 0:
            raise AnalysisError(f"comparison {other!r} marks no {unit.singular} cooperating")
        unknown = cooperating.difference(status.index)
        if len(unknown):
            raise ValidationError(
                f"comparison {other!r} has {unit.plural} that definition "
                f"{name!r} does not cover: {', '.join(unknown[:5])}"
            )
        overlap = int(cooperating.isin(focal).sum())
        control = cooperating.difference(focal)
        label = f"cooperating ({other})"
    if len(control) == 0:
        raise AnalysisError(f"definition {name!r}: the comparison group ({label}) is empty")
    return Groups(
        name,
        label,
        focal_group,
        np.sort(focal.to_numpy(dtype=str)),
        np.sort(control.to_numpy(dtype=str)),
        overlap,
        unit,
    )
