"""Sanctuary definitions by name: the thin layer between the estimators
(which take status Series) and analysis.jurisdictions.

Comparison "all" means every county not in the focal group; "cooperating"
means the 287(g) list nearest in date to the definition (g287_2015 for the
2014 lists, g287_2025 for the 2025 ones); a g287_* id picks one explicitly.
"""

from __future__ import annotations

import re

import pandas as pd

from .. import jurisdictions
from ..core.errors import AnalysisError, UnknownChoice
from .event import adoption_years as years_from_dates

COOPERATING_PREFIX = "g287_"


def _jurisdictions():
    return jurisdictions


def _catalogue():
    """Definition ids with their status kind ("sanctuary" or "cooperating");
    the kind is None when the catalogue does not say."""
    found = _jurisdictions().list_definitions()
    if isinstance(found, pd.DataFrame):
        kinds = found["status"] if "status" in found.columns else None
        return {str(i): (None if kinds is None else str(kinds[i])) for i in found.index}
    return {str(i): None for i in found}


def list_definitions() -> list[str]:
    return list(_catalogue())


def definition_status(name: str, unit: str = "county") -> pd.Series:
    """fips (unit "city": place) -> sanctuary / cooperating / other under definition
    `name` (for cities, in the definition's city reading)."""
    if unit == "county":  # the signature researchers' own replacements have
        status = _jurisdictions().load_definition(name)
    else:
        status = _jurisdictions().load_definition(name, unit=unit)
    if status.name != name:
        status = status.rename(name)
    return status


def cooperating_definitions() -> list[str]:
    """Definitions that mark cooperating (287(g)) counties."""
    return [
        d
        for d, kind in _catalogue().items()
        if kind == "cooperating" or (kind is None and d.startswith(COOPERATING_PREFIX))
    ]


def sanctuary_definitions() -> list[str]:
    return [d for d in list_definitions() if d not in cooperating_definitions()]


def _year(name: str) -> int | None:
    found = re.findall(r"(?<!\d)(\d{4})(?!\d)", name)
    return int(found[-1]) if found else None


def comparison_choices() -> list[str]:
    return ["all", "cooperating", *cooperating_definitions()]


def default_cooperating(definition: str) -> str:
    """The 287(g) definition nearest in date to `definition`."""
    candidates = cooperating_definitions()
    if not candidates:
        raise AnalysisError(
            "no 287(g) definition (g287_*) is available for the cooperating comparison"
        )
    year = _year(definition)
    if year is None:
        return candidates[0]
    return min(candidates, key=lambda c: (abs((_year(c) or 0) - year), c))


def comparison_status(
    definition: str, comparison: str | None, unit: str = "county"
) -> pd.Series | None:
    """None for "all", else the status Series of the 287(g) definition."""
    if comparison in (None, "all"):
        return None
    valid = comparison_choices()
    if comparison not in valid:
        raise UnknownChoice("comparison", comparison, valid)
    name = default_cooperating(definition) if comparison == "cooperating" else comparison
    return definition_status(name, unit)


def adoption_years(name: str, unit: str = "county") -> pd.Series:
    """fips (unit "city": place) -> the calendar year each unit marked by `name` came under
    its policy (relative year 0 of an event study; see analysis.compare.event)."""
    return years_from_dates(_jurisdictions().tables.enactment_dates(name, unit))
