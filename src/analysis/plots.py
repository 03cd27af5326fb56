"""House style for figures and maps.

Every figure a reader sees has a title that states the finding, axis labels
with units, and a caption line with the source and the definition used
(`caption`). Maps use the Albers equal-area projection for the lower 48
(EPSG:5070) with Alaska (EPSG:3338, shrunk) and Hawaii moved below, and classify
values with mapclassify; maps meant to be compared share one set of class
breaks (`shared_breaks`).
"""

from __future__ import annotations

import functools
import textwrap

import matplotlib

matplotlib.use("agg")  # reports render to files; notebooks display the saved PNG
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

GROUP_COLOURS = {"sanctuary": "#1b6ca8", "comparison": "#d95f02", "cooperating": "#b2182b",
                 "other": "#bdbdbd"}
STATUS_COLOURS = {"sanctuary": "#1b6ca8", "cooperating": "#b2182b", "other": "#e8e8e8"}
SEQUENTIAL = "YlGnBu"

plt.rcParams.update({
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "font.size": 11,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#e5e5e5",
    "grid.linewidth": 0.8,
    "legend.frameon": False,
    "svg.fonttype": "none",
})


def caption(fig, text: str, width: int = 110) -> None:
    """A source-and-definition line under the figure."""
    fig.text(0.01, -0.01, "\n".join(textwrap.wrap(text, width)), ha="left", va="top",
             fontsize=8.5, color="#57606a")


def title(ax, text: str, width: int = 70) -> None:
    ax.set_title("\n".join(textwrap.wrap(text, width)))


# --- maps -------------------------------------------------------------------------

ALASKA, HAWAII = "02", "15"


@functools.cache
def _projected_layers():
    """Counties and states in map coordinates, Alaska and Hawaii moved below the lower 48."""
    from shapely import affinity

    from .geometry import load_counties, load_states

    counties, states = load_counties(), load_states()

    def place(frame, key):
        lower = frame[~frame[key].isin([ALASKA, HAWAII])].to_crs(5070)
        x0, y0, x1, y1 = lower.total_bounds
        alaska = frame[frame[key] == ALASKA].to_crs(3338)
        hawaii = frame[frame[key] == HAWAII].to_crs(5070)
        ax0, ay0, _, _ = (alaska.total_bounds if len(alaska) else (0, 0, 0, 0))
        hx0, hy0, _, _ = (hawaii.total_bounds if len(hawaii) else (0, 0, 0, 0))
        alaska = alaska.set_geometry(alaska.geometry.apply(
            lambda g: affinity.translate(affinity.scale(g, 0.35, 0.35, origin=(ax0, ay0)),
                                         x0 - ax0 - 0.1e6, y0 - ay0 - 0.35e6)), crs=5070)
        hawaii = hawaii.set_geometry(hawaii.geometry.apply(
            lambda g: affinity.translate(g, x0 - hx0 + 1.55e6, y0 - hy0 - 0.15e6)), crs=5070)
        return pd.concat([lower, alaska.to_crs(5070), hawaii], ignore_index=True)

    return place(counties, "state_fips"), place(states, "state_fips")


def county_map(ax, values: pd.Series, *, breaks=None, scheme: str = "Quantiles", k: int = 5,
               cmap: str = SEQUENTIAL, legend_title: str = "", outline: pd.Index | None = None,
               outline_label: str = "", fmt: str = "{:,.1f}") -> None:
    """Choropleth of a county-indexed numeric Series (by FIPS).

    breaks: class upper bounds shared with other maps (see `shared_breaks`);
    otherwise mapclassify's `scheme` with `k` classes on these values.
    outline: FIPS codes drawn with a dark edge (e.g. the sanctuary counties).
    """
    import mapclassify
    from matplotlib.patches import Patch

    counties, states = _projected_layers()
    data = counties.assign(value=counties["fips"].map(values))
    known = data["value"].notna()
    if breaks is None:
        breaks = list(getattr(mapclassify, scheme)(data.loc[known, "value"].to_numpy(), k=k).bins)
    classes = mapclassify.UserDefined(data.loc[known, "value"].to_numpy(), bins=list(breaks))
    colours = plt.get_cmap(cmap, len(breaks))
    data.loc[known, "cls"] = classes.yb
    data.loc[~known].plot(ax=ax, color="#f2f2f2", edgecolor="#ffffff", linewidth=0.05,
                          hatch="////")
    for i in range(len(breaks)):
        part = data[known & (data["cls"] == i)]
        if len(part):
            part.plot(ax=ax, color=colours(i), edgecolor="#ffffff", linewidth=0.05)
    states.boundary.plot(ax=ax, color="#ffffff", linewidth=0.5)
    handles = []
    lows = [float(np.nanmin(data["value"]))] + list(breaks[:-1])
    for i, (lo, hi) in enumerate(zip(lows, breaks)):
        handles.append(Patch(facecolor=colours(i), label=f"{fmt.format(lo)} to {fmt.format(hi)}"))
    handles.append(Patch(facecolor="#f2f2f2", hatch="////", edgecolor="#bdbdbd", label="no data"))
    if outline is not None and len(outline):
        ring = counties[counties["fips"].isin(outline)]
        ring.boundary.plot(ax=ax, color="#111111", linewidth=0.6)
        handles.append(Patch(facecolor="none", edgecolor="#111111", label=outline_label or "outlined"))
    _legend(ax, handles, legend_title)
    _bare(ax)


def status_map(ax, status: pd.Series, legend_title: str = "") -> None:
    """Map of a definition's classification (a FIPS-indexed Series of statuses)."""
    from matplotlib.patches import Patch

    counties, states = _projected_layers()
    data = counties.assign(status=counties["fips"].map(status).fillna("other"))
    for name, colour in STATUS_COLOURS.items():
        part = data[data["status"] == name]
        if len(part):
            part.plot(ax=ax, color=colour, edgecolor="#ffffff", linewidth=0.05)
    states.boundary.plot(ax=ax, color="#9a9a9a", linewidth=0.4)
    counts = data["status"].value_counts()
    handles = [Patch(facecolor=c, edgecolor="#9a9a9a", label=f"{n} ({counts.get(n, 0):,})")
               for n, c in STATUS_COLOURS.items() if counts.get(n, 0)]
    _legend(ax, handles, legend_title)
    _bare(ax)


def shared_breaks(*series: pd.Series, scheme: str = "Quantiles", k: int = 5) -> list[float]:
    """Class breaks computed on several maps' values pooled, so the maps share one scale."""
    import mapclassify

    pooled = pd.concat(series).dropna().to_numpy()
    return list(getattr(mapclassify, scheme)(pooled, k=k).bins)


def _legend(ax, handles, title_text: str) -> None:
    ax.legend(handles=handles, title=title_text, loc="lower left", bbox_to_anchor=(0.86, 0.0),
              fontsize=8.5, title_fontsize=9, alignment="left")


def _bare(ax) -> None:
    ax.set_axis_off()
    ax.set_aspect("equal")
