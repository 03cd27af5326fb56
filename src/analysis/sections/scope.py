"""What a page covers: the outcomes its unit and years allow (the others said, with
why), and what a reader must know of the unit's data."""

from __future__ import annotations

from collections.abc import Iterable

from .. import compare as cmp
from ..jurisdictions import list_definitions
from ..panels import availability
from ..panels import years as years_module
from ..panels.units import CITY
from ..panels.units import unit as lookup_unit
from ..publish import labels


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
    report.unavailable(left_out(panel, [o for o in outcomes if missing[o]], gone))
    return [o for o in outcomes if not missing[o]]


def about(report, unit: str, definitions: list[str]) -> None:
    """What a reader must know of the unit's data (the FBI's city table, the state
    estimates) and, for cities, which reading of each definition the page uses."""
    found = lookup_unit(unit)
    if not found.about:
        return
    if found is not CITY:  # only cities have readings, strict or broad
        report.note(found.about)
        return
    readings = list_definitions()["city_reading"]
    said = "; ".join(
        f"{labels.definition(d)}: {_reading(readings.get(d, 'strict'))}" for d in definitions
    )
    report.note(f"{found.about} Reading used here: {said}.")


def _reading(reading: str) -> str:
    if reading == "broad":
        return "broad (the cities listed, and every city inside a listed county or state)"
    return "strict (the cities listed, and the city of a listed consolidated city-county)"


def left_out(panel, outcomes: Iterable[str], years: Iterable[int], what: str = "Left out") -> str:
    """One line for a page on the outcomes it leaves out for want of data in `years`
    ("" when none): the crime years of an absent optional source (where to get them),
    and the years no source gives (why not), e.g. 2022 poverty."""
    years = sorted({int(y) for y in years})
    lines = []
    crime = [o for o in outcomes if o in cmp.CRIME_OUTCOMES]
    if crime:
        gone = sorted({y for o in crime for y in availability.absent_years(panel, o, years)})
        named = f"{what}: {availability.listed([_label(o) for o in crime])}"
        optional = [y for y in gone if y in years_module.UCR_FILES]
        if optional:
            lines.append(availability.notice(optional, named))
        for year in [y for y in gone if y not in years_module.UCR_FILES]:
            lines.append(f"{named} for {year}: {years_module.gap_reason(crime[0], year)}.")
    for outcome in [o for o in outcomes if o not in cmp.CRIME_OUTCOMES]:
        for year in years:
            reason = years_module.gap_reason(outcome, year) or "this build has no value"
            lines.append(f"{what}: {_label(outcome)} for {year}: {reason}.")
    return " ".join(lines)


def _label(outcome: str) -> str:
    return labels.short(outcome).lower()
