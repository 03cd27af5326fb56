"""The two units the comparisons run on: counties and cities (Census places).

Everything above the panels takes the unit as a choice; this module says what differs
between the two, so no method needs a second copy for cities:

- the key column (fips or place) and how a result names the units (counties, cities);
- whether the panel holds every unit every year (the county panel does; the city panel
  holds the cities the FBI's table lists that year, so a city absent one year is left
  out of that year's comparison and counted, not an error);
- the outcomes and years each panel has, the default covariate set, and the default
  population cut (cities of under 10,000 people are left out unless asked for).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.errors import UnknownChoice


@dataclass(frozen=True)
class Unit:
    name: str
    key: str
    singular: str
    plural: str
    complete: bool  # every unit has a row every year
    default_covariates: str
    default_min_population: float | None
    state_column: str  # the panel column with the unit's state postal code
    about: str = ""  # what a reader must know of the unit's data, on every page that uses it

    def count(self, n: int) -> str:
        """'1 county', '3 cities'."""
        return f"{n:,} {self.singular if n == 1 else self.plural}"


UNITS = {
    "county": Unit("county", "fips", "county", "counties", True, "cap", None, "state_abbr"),
    "city": Unit(
        "city",
        "place",
        "city",
        "cities",
        False,
        "city",
        10_000.0,
        "state",
        "What the FBI's city table measures: offences known to each city's police, for the "
        "agencies that reported all 12 months of the year (so cities come and go from year "
        "to year), with the table's own population. It does not count crimes not reported "
        "to police, offences recorded by a county sheriff or state police within the city, "
        "or who committed them. A list's county or state policy covers a city only in a "
        "definition's broad reading; each page says which reading it uses.",
    ),
}


def unit(name: str | Unit) -> Unit:
    if isinstance(name, Unit):
        return name
    if name not in UNITS:
        raise UnknownChoice("unit", name, UNITS)
    return UNITS[name]
