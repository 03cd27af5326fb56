"""Census cartographic boundary files, 2015, 1:20,000,000 (zipped shapefiles).

Counties: STATEFP, COUNTYFP, GEOID (5-digit FIPS), NAME, LSAD, geometry in
NAD83 (EPSG:4269); 3,220 features including Puerto Rico's 78 municipios.
States: STATEFP, STUSPS, NAME; 52 features (50 states, DC, Puerto Rico).
"""

from __future__ import annotations

from pathlib import Path

from ..geo.counties import drop_territories
from ..sources.buildlog import FileAccount
from ._common import require_columns


def _read(path: Path, account: FileAccount, columns: list[str]):
    import geopandas as gpd

    raw = account.read(gpd.read_file(path))
    require_columns(raw, columns, path)
    return raw


def read_counties(path: Path, account: FileAccount):
    raw = _read(path, account, ["GEOID", "STATEFP", "NAME", "geometry"])
    raw = raw.rename(columns={"GEOID": "fips", "STATEFP": "state_fips", "NAME": "name"})
    raw = drop_territories(raw, account, "state_fips")
    return account.keep(raw[["fips", "state_fips", "name", "geometry"]].reset_index(drop=True))


def read_states(path: Path, account: FileAccount):
    raw = _read(path, account, ["STATEFP", "STUSPS", "NAME", "geometry"])
    raw = raw.rename(
        columns={"STATEFP": "state_fips", "STUSPS": "state_abbr", "NAME": "state_name"}
    )
    raw = drop_territories(raw, account, "state_fips", key="state_abbr")
    return account.keep(
        raw[["state_fips", "state_abbr", "state_name", "geometry"]].reset_index(drop=True)
    )
