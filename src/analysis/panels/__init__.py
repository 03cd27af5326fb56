"""The panels, one row per unit and year, and the registry of the units.

- `units`: what each unit is (county, city): its key, panel, outcomes, years,
  covariate sets, sources and the words its pages use;
- `load`: `load_panel(unit=...)`, checked against the sha256 its build recorded;
- `county`, `city`: the builds, from the raw files; `county_schema`, `city_schema`:
  what each column means;
- `years`: which source file gives each year; `availability`: what this build has;
- `geometry`: county and state boundaries for maps, and neighbouring counties;
- `inventory`: what the data hold, year by year.
"""

from .load import load_build_log, load_panel

__all__ = ["load_build_log", "load_panel"]
