"""County and state boundaries (2015) as GeoParquet, for maps.

`build_geometry` writes data/processed/counties.parquet (3,142 counties of the
50 states and DC) and data/processed/states.parquet (outlines), both in the
source's NAD83 coordinates (EPSG:4269); the plotting code projects them.
"""

from __future__ import annotations

from pathlib import Path

from . import paths
from .atomic import write_parquet
from .buildlog import BuildLog
from .errors import AnalysisError, ValidationError
from .readers import geo
from .schema import N_COUNTIES


def counties_path() -> Path:
    return paths.processed_dir() / "counties.parquet"


def states_path() -> Path:
    return paths.processed_dir() / "states.parquet"


def build_geometry(raw_dir: Path | None = None) -> dict[Path, int]:
    log = BuildLog("geometry", raw_dir)
    path, account = log.open("counties-2015")
    counties = geo.read_counties(path, account)
    path, account = log.open("states-2015")
    states = geo.read_states(path, account)
    if counties["fips"].nunique() != N_COUNTIES or counties["fips"].duplicated().any():
        raise ValidationError(f"expected {N_COUNTIES} distinct counties in the boundary file, "
                              f"found {counties['fips'].nunique()}")
    missing_states = set(counties["state_fips"]) - set(states["state_fips"])
    if missing_states:
        raise ValidationError(f"states without an outline: {sorted(missing_states)}")
    counties = counties.merge(states[["state_fips", "state_abbr"]], on="state_fips")
    write_parquet(counties_path(), counties)
    write_parquet(states_path(), states)
    log.write(counties_path().with_name("geometry.log.json"))
    return {counties_path(): len(counties), states_path(): len(states)}


def _load(path: Path):
    import geopandas as gpd

    if not path.exists():
        raise AnalysisError(f"{paths.relative(path)} does not exist yet: run `make data`.")
    return gpd.read_parquet(path)


def load_counties():
    """County polygons: fips, state_fips, state_abbr, name, geometry (EPSG:4269)."""
    return _load(counties_path())


def load_states():
    """State outlines: state_fips, state_abbr, state_name, geometry (EPSG:4269)."""
    return _load(states_path())
