"""What a page covers: the outcomes its unit and years allow (the others said, with
why), and what a reader must know of the unit's data."""

from __future__ import annotations

from .. import availability, labels
from .. import compare as cmp


def studied_outcomes(report, panel, outcomes: list[str], years, unit: str = "county") -> list[str]:
    """Of `outcomes`, those the unit's panel has in every one of `years` a source gives
    them in; the page says which are left out, and why (an optional source's crime
    years: where to get them)."""
    outcomes = cmp.for_unit(outcomes, unit)
    missing = {
        o: availability.absent_years(panel, o, set(years) & set(cmp.outcome_years(o, unit)))
        for o in outcomes
    }
    gone = sorted({y for years_gone in missing.values() for y in years_gone})
    report.unavailable(availability.left_out(panel, [o for o in outcomes if missing[o]], gone))
    return [o for o in outcomes if not missing[o]]


def about(report, unit: str, definitions: list[str]) -> None:
    """What a reader must know of the unit's data (the FBI's city table) and, for
    cities, which reading of each definition the page uses."""
    from ..units import unit as lookup_unit

    found = lookup_unit(unit)
    if not found.about:
        return
    from ..jurisdictions import list_definitions

    readings = list_definitions()["city_reading"]
    said = "; ".join(
        f"{labels.definition(d)}: {_reading(readings.get(d, 'strict'))}" for d in definitions
    )
    report.note(f"{found.about} Reading used here: {said}.")


def _reading(reading: str) -> str:
    if reading == "broad":
        return "broad (the cities listed, and every city inside a listed county or state)"
    return "strict (the cities listed, and the city of a listed consolidated city-county)"
