"""County and state boundaries (2015) as GeoParquet, for maps.

`build_geometry` writes data/processed/counties.parquet (3,142 counties of the
50 states and DC) and data/processed/states.parquet (outlines), both in the
source's NAD83 coordinates (EPSG:4269), and the same two layers laid out for
maps (map_counties.parquet, map_states.parquet; see `map_layout`), so that
every report does not project them again.
"""

from __future__ import annotations

from pathlib import Path

from . import paths
from .atomic import write_parquet
from .buildlog import BuildLog, verified_product
from .errors import ValidationError
from .readers import geo
from .schema import N_COUNTIES

ALASKA, HAWAII = "02", "15"


def counties_path() -> Path:
    return paths.processed_dir() / "counties.parquet"


def states_path() -> Path:
    return paths.processed_dir() / "states.parquet"


def map_counties_path() -> Path:
    return paths.processed_dir() / "map_counties.parquet"


def map_states_path() -> Path:
    return paths.processed_dir() / "map_states.parquet"


def map_layout(frame):
    """The layer in map coordinates: the lower 48 in Albers equal-area (EPSG:5070),
    Alaska in its own Albers (EPSG:3338) shrunk to 35 % and Hawaii moved, both
    placed below the lower 48's south-west corner. For drawing only: areas and
    distances in Alaska and Hawaii are no longer true to the lower 48."""
    import pandas as pd
    from shapely import affinity

    key = "state_fips"
    lower = frame[~frame[key].isin([ALASKA, HAWAII])].to_crs(5070)
    x0, y0, _, _ = lower.total_bounds
    alaska = frame[frame[key] == ALASKA].to_crs(3338)
    hawaii = frame[frame[key] == HAWAII].to_crs(5070)
    ax0, ay0, _, _ = alaska.total_bounds
    hx0, hy0, _, _ = hawaii.total_bounds
    alaska = alaska.set_geometry(
        alaska.geometry.apply(
            lambda g: affinity.translate(
                affinity.scale(g, 0.35, 0.35, origin=(ax0, ay0)),
                x0 - ax0 - 0.1e6,
                y0 - ay0 - 0.35e6,
            )
        ),
        crs=5070,
    )
    hawaii = hawaii.set_geometry(
        hawaii.geometry.apply(
            lambda g: affinity.translate(g, x0 - hx0 + 1.55e6, y0 - hy0 - 0.15e6)
        ),
        crs=5070,
    )
    return pd.concat([lower, alaska, hawaii], ignore_index=True)


def build_geometry(raw_dir: Path | None = None) -> dict[Path, int]:
    log = BuildLog("geometry", raw_dir)
    path, account = log.open("counties-2015")
    counties = geo.read_counties(path, account)
    path, account = log.open("states-2015")
    states = geo.read_states(path, account)
    if counties["fips"].nunique() != N_COUNTIES or counties["fips"].duplicated().any():
        raise ValidationError(
            f"expected {N_COUNTIES} distinct counties in the boundary file, "
            f"found {counties['fips'].nunique()}"
        )
    missing_states = set(counties["state_fips"]) - set(states["state_fips"])
    if missing_states:
        raise ValidationError(f"states without an outline: {sorted(missing_states)}")
    counties = counties.merge(states[["state_fips", "state_abbr"]], on="state_fips")
    outputs = {
        counties_path(): counties,
        states_path(): states,
        map_counties_path(): map_layout(counties),
        map_states_path(): map_layout(states),
    }
    for path, frame in outputs.items():
        write_parquet(path, frame)
    log.write(counties_path().with_name("geometry.log.json"), outputs=list(outputs))
    return {path: len(frame) for path, frame in outputs.items()}


def _load(path: Path):
    import geopandas as gpd

    return gpd.read_parquet(verified_product(path))


def load_counties():
    """County polygons: fips, state_fips, state_abbr, name, geometry (EPSG:4269)."""
    return _load(counties_path())


def load_states():
    """State outlines: state_fips, state_abbr, state_name, geometry (EPSG:4269)."""
    return _load(states_path())


def load_map_layers():
    """(counties, states) in map coordinates (see `map_layout`), for drawing maps."""
    return _load(map_counties_path()), _load(map_states_path())
