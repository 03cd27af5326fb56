"""County and state boundaries (2015) as GeoParquet, for maps.

`build_geometry` writes data/processed/counties.parquet (3,142 counties of the
50 states and DC) and data/processed/states.parquet (outlines), both in the
source's NAD83 coordinates (EPSG:4269), the same two layers laid out for
maps (map_counties.parquet, map_states.parquet; see `map_layout`), so that
every report does not project them again, and neighbours.parquet: every pair of
counties whose boundaries touch (adjacent_pairs), for the
neighbouring-county comparisons.
"""

from __future__ import annotations

from pathlib import Path

from ..core import paths
from ..core.atomic import write_parquet
from ..core.errors import AnalysisError, ValidationError
from ..readers import geo
from ..sources.buildlog import BuildLog, verified_product
from .county_schema import N_COUNTIES

ALASKA, HAWAII = "02", "15"
ADJACENCY_COLUMNS = ["fips_a", "fips_b"]


def counties_path() -> Path:
    return paths.processed_dir() / "counties.parquet"


def states_path() -> Path:
    return paths.processed_dir() / "states.parquet"


def map_counties_path() -> Path:
    return paths.processed_dir() / "map_counties.parquet"


def map_states_path() -> Path:
    return paths.processed_dir() / "map_states.parquet"


def neighbours_path() -> Path:
    return paths.processed_dir() / "neighbours.parquet"


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


def adjacent_pairs(counties_gdf):
    """Every pair of counties whose boundaries touch (queen contiguity).

    `counties_gdf`: a GeoDataFrame with a `fips` column and polygon
    geometries forming a coverage (no overlaps; shared boundaries drawn with
    the same vertices), such as `analysis.panels.geometry.load_counties()`.

    Returns a DataFrame [fips_a, fips_b], one row per unordered pair with
    fips_a < fips_b, sorted. Counties with no neighbour (islands) appear in
    no row.

    Built with libpysal's `Graph.build_contiguity(rook=False)`, the current
    API (libpysal's `weights.Queen` is its legacy counterpart and gives the
    same pairs). Its default, non-strict method takes two counties to touch
    when they share a boundary vertex; the Census generalises its
    cartographic files without breaking that topology, and on the 2015 file
    the result equals shapely's `touches` on every pair. About 0.2 s for the
    3,142 counties, so nothing is cached.
    """
    import numpy as np
    import pandas as pd
    from libpysal.graph import Graph

    if "fips" not in counties_gdf.columns or not hasattr(counties_gdf, "geometry"):
        raise AnalysisError(
            "adjacent_pairs needs a GeoDataFrame with a 'fips' column and county polygons "
            "(analysis.panels.geometry.load_counties())"
        )
    fips = counties_gdf["fips"].astype(str)
    if fips.duplicated().any():
        dupes = sorted(set(fips[fips.duplicated()]))[:5]
        raise ValidationError(f"the county layer lists counties more than once: {dupes}")
    geometry = counties_gdf.geometry
    empty = geometry.isna() | geometry.is_empty
    if empty.any():
        raise ValidationError(
            f"{int(empty.sum())} counties have no boundary (e.g. "
            f"{', '.join(fips[empty.to_numpy()][:5])}); adjacency needs every polygon"
        )
    shapes = geometry.set_axis(pd.Index(fips.to_numpy(), name="fips"))
    adjacency = Graph.build_contiguity(shapes, rook=False, strict=False).adjacency
    focal = adjacency.index.get_level_values("focal").to_numpy(dtype=str)
    neighbour = adjacency.index.get_level_values("neighbor").to_numpy(dtype=str)
    # libpysal keeps an island as a zero-weight link to itself; it is no pair
    touching = (adjacency.to_numpy() != 0) & (focal != neighbour)
    focal, neighbour = focal[touching], neighbour[touching]
    # each pair once, whichever direction libpysal listed it in
    low = np.where(focal < neighbour, focal, neighbour)
    high = np.where(focal < neighbour, neighbour, focal)
    pairs = pd.DataFrame({"fips_a": low, "fips_b": high}).drop_duplicates()
    return pairs.sort_values(ADJACENCY_COLUMNS, ignore_index=True)


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
        neighbours_path(): adjacent_pairs(counties),
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


def load_neighbours():
    """Every pair of counties whose 2015 boundaries touch: fips_a < fips_b."""
    import pandas as pd

    return pd.read_parquet(verified_product(neighbours_path()))
