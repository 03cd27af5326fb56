"""Sanctuary definitions by name: the thin layer between the estimators
(which take status Series) and analysis.jurisdictions.

Comparison "all" means every county not in the focal group; "cooperating"
means the 287(g) list nearest in date to the definition (g287_2015 for the
2014 lists, g287_2025 for the 2025 ones); a g287_* id picks one explicitly.
"""

from __future__ import annotations

import pandas as pd

from ..core.errors import UnknownChoice
from ..jurisdictions import tables
from ..jurisdictions.tables import (  # noqa: F401  (the catalogue, as the engine asks it)
    comparison_choices,
    cooperating_definitions,
    default_cooperating,
    sanctuary_definitions,
    state_rows_only,
)
from ..panels.units import DEFAULT_UNIT, Unit
from .event import adoption_years as years_from_dates


def list_definitions() -> list[str]:
    """Every definition's id."""
    return list(tables.definition_kinds())


def definition_status(name: str, unit: str | Unit = DEFAULT_UNIT.name) -> pd.Series:
    """unit code -> sanctuary / cooperating / other under definition `name` (for cities,
    in the definition's city reading)."""
    status = tables.load_definition(name, unit=unit)
    return status if status.name == name else status.rename(name)


def comparison_status(
    definition: str, comparison: str | None, unit: str | Unit = DEFAULT_UNIT.name
) -> pd.Series | None:
    """None for "all", else the status Series of the 287(g) definition."""
    if comparison in (None, "all"):
        return None
    valid = comparison_choices()
    if comparison not in valid:
        raise UnknownChoice("comparison", comparison, valid)
    name = default_cooperating(definition) if comparison == "cooperating" else comparison
    return definition_status(name, unit)


def never_listed(unit: str | Unit = DEFAULT_UNIT.name) -> list[str]:
    """The units no sanctuary definition marks, at any date: every definition's `other`
    (for states: the states no list names as a whole state)."""
    never = None
    for name in sanctuary_definitions():
        status = definition_status(name, unit)
        other = set(status.index[status == "other"])
        never = other if never is None else never & other
    return sorted(never or ())


def adoption_years(name: str, unit: str | Unit = DEFAULT_UNIT.name) -> pd.Series:
    """unit code -> the calendar year each unit marked by `name` came under its policy
    (relative year 0 of an event study; see analysis.compare.event)."""
    return years_from_dates(tables.enactment_dates(name, unit))
