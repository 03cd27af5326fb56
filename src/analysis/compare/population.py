"""Who is compared, beyond the definition: a population cut, and a choice of states.

`states=["CA"]` keeps the focal units of those states only; the definition's units
elsewhere are left out, neither focal nor comparison (California's cities after SB 54
against cities in no state with such a law, not against Illinois's).

A population cut: `min_population=N` leaves out units of fewer than N residents.

It matters for cities: the FBI's table lists thousands of towns of a few hundred people,
whose rates jump with a single crime, beside the cities the public question is about, so
comparisons of cities leave out those under 10,000 people unless asked otherwise
(units.Unit.default_min_population; `min_population=0` keeps every city). A unit's
size is its population in the year compared or, for methods over several years, its
average over the panel's years, so a city is in or out for the whole window.

The units left out are counted in each result row, per group.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.errors import AnalysisError
from .groups import member_of


def check_min_population(value) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise AnalysisError(
            f"min_population must be a number of residents, not {value!r}"
        ) from None
    if not number >= 0 or np.isinf(number):
        raise AnalysisError(f"min_population must be a number of residents, not {value!r}")
    return number


def units_below(panel: pd.DataFrame, cut: float | None, key: str, year: int | None) -> set[str]:
    """The units whose population is under the cut: in `year`, or on average over the
    panel's years when `year` is None."""
    if not cut:
        return set()
    rows = panel[panel["year"] == year] if year is not None else panel
    size = rows.groupby(key)["population"].mean()
    return set(size.index[~(size >= cut)].astype(str))


def without(status: pd.Series | None, small: set[str]) -> pd.Series | None:
    """A status Series without the units under the cut (they are in no group)."""
    if status is None or not small:
        return status
    return status[~member_of(status.index, list(small))]


def annotate(rows: list[dict], small: set[str], groups, cut: float | None) -> None:
    """Add the cut, and the units of each group it left out, to every row."""
    if not cut:
        return
    focal = len(small & set(groups.focal))
    comparison = len(small & set(groups.control))
    for row in rows:
        row["min_population"] = cut
        row["n_below_population_focal"] = focal
        row["n_below_population_comparison"] = comparison
        left = (
            f"{focal:,} focal and {comparison:,} comparison {groups.unit.plural} of under "
            f"{cut:,.0f} residents left out (min_population)"
        )
        row["note"] = "; ".join(n for n in (row.get("note", ""), left) if n)


def check_states(states) -> tuple[str, ...] | None:
    if states is None:
        return None
    states = (states,) if isinstance(states, str) else tuple(states)
    bad = [s for s in states if not (isinstance(s, str) and len(s) == 2 and s.isupper())]
    if bad or not states:
        raise AnalysisError(
            f"states must be postal codes such as 'CA'; got {list(states) or 'none'}"
        )
    return states


def outside_states(
    panel: pd.DataFrame, status: pd.Series, states: tuple[str, ...] | None, unit
) -> set[str]:
    """The definition's marked units (not `other`) outside `states`."""
    if not states:
        return set()
    first = panel.drop_duplicates(unit.key)  # the key may be the state itself (states)
    state_of = pd.Series(first[unit.state_column].to_numpy(), index=first[unit.key].astype(str))
    marked = status.index[status != "other"].astype(str)
    unknown = sorted(set(states) - set(state_of.unique()))
    if unknown:
        raise AnalysisError(f"no {unit.singular} of the panel is in {', '.join(unknown)}")
    return {u for u in marked if state_of.get(u) not in states}


def annotate_states(rows: list[dict], left: set[str], groups, states) -> None:
    if not states:
        return
    for row in rows:
        row["states"] = ",".join(states)
        text = (
            f"focal {groups.unit.plural} of {', '.join(states)} only; "
            f"{len(left):,} listed {groups.unit.plural} elsewhere left out"
        )
        row["note"] = "; ".join(n for n in (row.get("note", ""), text) if n)
