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

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from ..panels.geometry import load_map_layers
from ..panels.years import PANDEMIC_YEARS
from . import labels

GROUP_COLOURS = {
    "sanctuary": "#1b6ca8",
    "comparison": "#d95f02",
    "cooperating": "#b2182b",
    "other": "#bdbdbd",
}
STATUS_COLOURS = {"sanctuary": "#1b6ca8", "cooperating": "#b2182b", "other": "#e8e8e8"}
SEQUENTIAL = "YlGnBu"

plt.rcParams.update(
    {
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
    }
)


def caption(fig, text: str, width: int = 110) -> None:
    """A source-and-definition line under everything else in the figure."""
    renderer = fig.canvas.get_renderer()
    lowest = min([ax.get_tightbbox(renderer).y0 for ax in fig.axes] + [0.0])
    y = lowest / (fig.dpi * fig.get_figheight()) - 0.02
    fig.text(
        0.01,
        y,
        "\n".join(textwrap.wrap(text, width)),
        ha="left",
        va="top",
        fontsize=8.5,
        color="#57606a",
    )


def _characters_across(width_in: float, fontsize: float) -> int:
    """About how many bold characters of `fontsize` points fit in `width_in` inches."""
    return max(20, int(width_in * 72 / (fontsize * 0.62)))


def title(ax, text: str) -> None:
    """The axes title, wrapped to the axes' width."""
    size = plt.rcParams["axes.titlesize"]
    width = ax.get_position().width * ax.figure.get_figwidth()
    ax.set_title("\n".join(textwrap.wrap(text, _characters_across(width * 1.05, size))))


def axis_label(ax, text: str, which: str = "x", fontsize: float = 9) -> None:
    """An axis label wrapped to the axes' own length, so that a long unit ("murders,
    robberies and aggravated assaults per 10,000 residents") stays under its panel and
    a rotated one stays beside it, clear of the neighbour's label and the headline."""
    box = ax.get_position()
    inches = (
        box.width * ax.figure.get_figwidth()
        if which == "x"
        else (box.height * ax.figure.get_figheight())
    )
    # Regular, not bold, text: about 0.52 of the font size per character.
    across = max(12, int(inches * 72 / (fontsize * 0.52)))
    wrapped = "\n".join(
        line for part in text.split("\n") for line in textwrap.wrap(part, across) or [""]
    )
    (ax.set_xlabel if which == "x" else ax.set_ylabel)(wrapped, fontsize=fontsize)


def headline(fig, text: str, fontsize: float = 12.5) -> None:
    """The figure's title, stating its finding, wrapped to the figure's width."""
    lines = textwrap.wrap(text, _characters_across(fig.get_figwidth() * 0.92, fontsize))
    fig.suptitle("\n".join(lines), x=0.01, ha="left", fontsize=fontsize, fontweight="bold")
    fig.tight_layout()  # the panels make room for the headline


def panel_grid(n: int, columns: int = 3) -> tuple[int, int]:
    """(rows, columns) for n small panels, at most `columns` wide, so that each
    panel stays legible at the page's width."""
    columns = min(n, columns)
    return -(-n // columns), columns


def _grid(n: int, width: float, height: float, columns: int = 3):
    rows, cols = panel_grid(n, columns)
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, height * rows), squeeze=False)
    for ax in axes.flat[n:]:
        ax.set_axis_off()
    return fig, list(axes.flat[:n])


def group_boxes(
    frame: pd.DataFrame, outcomes: list[str], groups: list[str], group_column: str = "group"
):
    """One box plot per outcome, a box per group (median line, mean diamond, no
    outliers): how the counties of each group spread."""
    fig, axes = _grid(len(outcomes), 3.4, 3.2)
    colours = [GROUP_COLOURS.get(g, GROUP_COLOURS["sanctuary"]) for g in groups[:1]]
    colours += [GROUP_COLOURS["comparison"]] * (len(groups) - 1)
    for ax, outcome in zip(axes, outcomes):
        data = [frame.loc[frame[group_column] == g, outcome].dropna() for g in groups]
        parts = ax.boxplot(
            data,
            widths=0.6,
            showfliers=False,
            patch_artist=True,
            showmeans=True,
            meanprops={"marker": "D", "markerfacecolor": "white", "markeredgecolor": "#1f2328"},
        )
        for patch, colour in zip(parts["boxes"], colours):
            patch.set_facecolor(colour)
            patch.set_alpha(0.75)
        ax.set_xticks(
            range(1, len(groups) + 1),
            [f"{g}\n(n={len(d):,})" for g, d in zip(groups, data)],
            fontsize=9,
        )
        ax.set_title(labels.short(outcome), fontsize=10)
        axis_label(ax, labels.unit(outcome), "y")
        ax.grid(axis="x", visible=False)
    fig.tight_layout()
    return fig


def forest(
    table: pd.DataFrame,
    label=None,
    panel: str | None = "outcome",
    published: str | None = None,
    width: float = 3.4,
):
    """Estimates with their 95 % intervals, one row per label, one panel per value
    of `panel` (each outcome in its own unit). `label` is a column name or a function
    of a row (default: `labels.row_label`, the method or the urban-rural class);
    `published` names a column of published figures, drawn as squares beside the
    estimates (say so in the caption)."""
    names = (
        table.apply(label or labels.row_label, axis=1)
        if not isinstance(label, str)
        else (table[label].astype(str))
    )
    keys = list(dict.fromkeys(table[panel])) if panel else [None]
    order = list(dict.fromkeys(names))
    fig, axes = _grid(len(keys), width, 0.42 * len(order) + 1.6)
    for ax, key in zip(axes, keys):
        rows = table if key is None else table[table[panel] == key]
        y = [order.index(n) for n in names[rows.index]]
        ax.errorbar(
            rows["estimate"],
            y,
            xerr=[rows["estimate"] - rows["ci_low"], rows["ci_high"] - rows["estimate"]],
            fmt="o",
            color=GROUP_COLOURS["sanctuary"],
            ecolor="#8c8c8c",
            capsize=2,
            label="this project (95 % interval)",
        )
        if published:
            ax.plot(
                rows[published],
                y,
                marker="s",
                linestyle="none",
                color=GROUP_COLOURS["comparison"],
                label="published",
            )
        ax.axvline(0, color="#1f2328", linewidth=0.8)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4))  # room for "-4,000" beside "-2,000"
        first_column = ax.get_subplotspec().is_first_col()
        ax.set_yticks(range(len(order)), order if first_column else [""] * len(order), fontsize=9)
        ax.set_ylim(len(order) - 0.5, -0.5)
        if key is not None:
            ax.set_title(labels.short(key) if panel == "outcome" else str(key), fontsize=10)
            axis_label(ax, labels.unit(key) if panel == "outcome" else "")
    fig.tight_layout()
    return fig


def yearly(
    table: pd.DataFrame,
    value: str,
    panel: str = "outcome",
    interval: bool = True,
    after: int | None = None,
    ylabel: str = "",
):
    """A value by year (with its 95 % interval), one panel per outcome; years from
    `after` on are shaded."""
    keys = list(dict.fromkeys(table[panel]))
    fig, axes = _grid(len(keys), 4.2, 3.7)
    for ax, key in zip(axes, keys):
        rows = table[table[panel] == key].sort_values("year")
        if after is not None:
            ax.axvspan(after - 0.5, rows["year"].max() + 0.6, color="#f2f2f2", zorder=0)
        if interval:
            ax.errorbar(
                rows["year"],
                rows[value],
                yerr=[rows[value] - rows["ci_low"], rows["ci_high"] - rows[value]],
                fmt="o-",
                color=GROUP_COLOURS["sanctuary"],
                ecolor="#8c8c8c",
                capsize=3,
            )
        else:
            ax.plot(rows["year"], rows[value], "o-", color=GROUP_COLOURS["sanctuary"])
        ax.axhline(0, color="#1f2328", linewidth=0.8)
        ax.set_xticks(rows["year"])
        ax.set_title(labels.short(key), fontsize=10)
        axis_label(ax, f"{ylabel}\n({labels.unit(key)})" if ylabel else labels.unit(key), "y")
    return fig


def event_study(table: pd.DataFrame, panel: str = "outcome"):
    """Estimates by year since adoption with 95 % intervals, one panel per outcome;
    the reference year is an open circle at zero, years after adoption are shaded and a
    year without data is a gap in the line, not a point."""
    rows_all = table[
        table["term"].isin(["relative year", "reference"]) & table["relative_year"].notna()
    ]
    keys = list(dict.fromkeys(rows_all[panel]))
    fig, axes = _grid(len(keys), 4.2, 3.7)
    for ax, key in zip(axes, keys):
        rows = rows_all[rows_all[panel] == key].sort_values("relative_year")
        years = rows["relative_year"].astype(int).to_numpy()
        ax.axvspan(-0.5, years.max() + 0.6, color="#f2f2f2", zorder=0)
        full = pd.Series(np.nan, index=range(years.min(), years.max() + 1))
        full[years] = rows["estimate"].to_numpy()
        ax.plot(full.index, full.to_numpy(), "-", color=GROUP_COLOURS["sanctuary"], zorder=2)
        estimated = rows[rows["term"] == "relative year"]
        ax.errorbar(
            estimated["relative_year"],
            estimated["estimate"],
            yerr=[
                estimated["estimate"] - estimated["ci_low"],
                estimated["ci_high"] - estimated["estimate"],
            ],
            fmt="o",
            color=GROUP_COLOURS["sanctuary"],
            ecolor="#8c8c8c",
            capsize=3,
            zorder=3,
        )
        reference = rows[rows["term"] == "reference"]
        ax.plot(
            reference["relative_year"],
            [0] * len(reference),
            "o",
            mfc="white",
            color=GROUP_COLOURS["sanctuary"],
            zorder=4,
        )
        if "calendar_years" in rows:
            pandemic = rows[rows["calendar_years"].fillna("").map(_in_pandemic)]
            if len(pandemic):
                ax.scatter(
                    pandemic["relative_year"],
                    pandemic["estimate"],
                    marker="s",
                    s=70,
                    facecolors="none",
                    edgecolors=GROUP_COLOURS["comparison"],
                    zorder=5,
                    label=f"includes {PANDEMIC_YEARS[0]}-{PANDEMIC_YEARS[-1]} (pandemic)",
                )
                ax.legend(fontsize=8, loc="best")
        ax.axhline(0, color="#1f2328", linewidth=0.8)
        # Ten years' labels fit a panel; beyond, every other year's ("−4−3−2" ran together).
        step = 1 if years.max() - years.min() < 10 else 2
        ax.set_xticks([y for y in range(years.min(), years.max() + 1) if y % step == 0])
        axis_label(ax, "years since adoption (0: year adopted)")
        ax.set_title(labels.short(key), fontsize=10)
        axis_label(ax, f"change vs. reference year\n({labels.unit(key)})", "y")
    fig.tight_layout()
    return fig


def _in_pandemic(calendar_years: str) -> bool:
    """Whether a relative year's calendar years (text "2019,2020") include a pandemic year."""
    return any(str(y) in calendar_years.split(",") for y in PANDEMIC_YEARS)


def specification_curve(table: pd.DataFrame, choices: list[str], unit: str = ""):
    """A specification curve: estimates sorted, with 95 % intervals (top), and
    beneath them which choice each specification made (one row per value)."""
    rows = table.dropna(subset=["estimate"]).sort_values("estimate").reset_index(drop=True)
    values = [(c, v) for c in choices for v in sorted(rows[c].astype(str).unique())]
    fig, (top, bottom) = plt.subplots(
        2,
        1,
        figsize=(11, 3.6 + 0.22 * len(values)),
        sharex=True,
        gridspec_kw={"height_ratios": [3.2, 0.22 * len(values) + 0.3], "hspace": 0.05},
    )
    x = np.arange(len(rows))
    clear = (rows["ci_low"] > 0) | (rows["ci_high"] < 0)
    colour = np.where(clear, GROUP_COLOURS["sanctuary"], "#9a9a9a")
    top.vlines(x, rows["ci_low"], rows["ci_high"], color=colour, alpha=0.35, linewidth=1)
    top.scatter(x, rows["estimate"], c=colour, s=9, zorder=3)
    top.axhline(0, color="#1f2328", linewidth=0.8)
    top.set_ylabel(f"sanctuary minus comparison\n{unit}".strip(), fontsize=9.5)
    top.grid(axis="x", visible=False)
    for i, (column, value) in enumerate(values):
        hit = rows[column].astype(str) == value
        bottom.scatter(
            x[hit], np.full(hit.sum(), i), marker="|", s=40, color="#1f2328", linewidths=1
        )
    bottom.set_yticks(range(len(values)), [f"{c}: {v}" for c, v in values], fontsize=8)
    bottom.set_ylim(len(values) - 0.5, -0.5)
    bottom.set_xlabel("specifications, sorted by estimate")
    bottom.grid(False)
    bottom.spines["left"].set_visible(False)
    return fig, top


# --- maps -------------------------------------------------------------------------


@functools.cache
def _county_centres():
    """Each county's point inside it (read once per process: a kernel builds several
    pages)."""
    counties, _ = load_map_layers()
    return counties.set_index("fips").geometry.representative_point()


@functools.cache
def _county_paths():
    """One matplotlib path per county (and per state outline), built once: drawing a
    map is then a single collection whose colours change, much faster than
    plotting polygons anew for every map."""
    from matplotlib.path import Path

    counties, states = load_map_layers()

    def paths_of(geometries):
        out = []
        for geom in geometries:
            parts = getattr(geom, "geoms", [geom])
            rings = [r for poly in parts for r in [poly.exterior, *poly.interiors]]
            out.append(Path.make_compound_path(*[Path(np.asarray(r.coords)[:, :2]) for r in rings]))
        return out

    return (
        pd.Index(counties["fips"]),
        paths_of(counties.geometry),
        paths_of(states.geometry),
        counties.total_bounds,
    )


def _draw(ax, colours: list, hatch_missing: np.ndarray | None = None) -> None:
    """Fill every county with its colour, then the state outlines on top."""
    from matplotlib.collections import PathCollection

    _, county_paths, state_paths, (x0, y0, x1, y1) = _county_paths()
    fills = PathCollection(
        county_paths, facecolors=colours, edgecolors="#ffffff", linewidths=0.08, rasterized=True
    )  # 3,000 polygons: bitmap in SVG
    ax.add_collection(fills)
    if hatch_missing is not None and hatch_missing.any():
        ax.add_collection(
            PathCollection(
                [p for p, m in zip(county_paths, hatch_missing) if m],
                facecolors="none",
                edgecolors="#bdbdbd",
                hatch="////",
                linewidths=0,
                rasterized=True,
            )
        )
    ax.add_collection(
        PathCollection(state_paths, facecolors="none", edgecolors="#ffffff", linewidths=0.6)
    )
    pad = 0.02 * (x1 - x0)
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(y0 - pad, y1 + pad)


def county_map(
    ax,
    values: pd.Series,
    *,
    breaks=None,
    scheme: str = "Quantiles",
    k: int = 5,
    cmap: str = SEQUENTIAL,
    legend_title: str = "",
    outline: pd.Index | None = None,
    outline_label: str = "",
    fmt: str = "{:,.1f}",
) -> None:
    """Choropleth of a county-indexed numeric Series (by FIPS).

    breaks: class upper bounds shared with other maps (see `shared_breaks`);
    otherwise mapclassify's `scheme` with `k` classes on these values.
    outline: FIPS codes drawn with a dark edge (e.g. the sanctuary counties).
    """
    import mapclassify
    from matplotlib.collections import PathCollection
    from matplotlib.patches import Patch

    fips, county_paths, _, _ = _county_paths()
    value = values.reindex(fips).to_numpy(dtype=float)
    known = ~np.isnan(value)
    if breaks is None:
        breaks = list(getattr(mapclassify, scheme)(value[known], k=k).bins)
    classes = np.full(len(value), -1)
    classes[known] = mapclassify.UserDefined(value[known], bins=list(breaks)).yb
    palette = plt.get_cmap(cmap, len(breaks))
    colours = [palette(c) if c >= 0 else "#f2f2f2" for c in classes]
    _draw(ax, colours, hatch_missing=~known)
    lows = [float(np.nanmin(value))] + list(breaks[:-1])
    handles = [
        Patch(facecolor=palette(i), label=f"{fmt.format(lo)} to {fmt.format(hi)}")
        for i, (lo, hi) in enumerate(zip(lows, breaks))
    ]
    handles.append(Patch(facecolor="#f2f2f2", hatch="////", edgecolor="#bdbdbd", label="no data"))
    if outline is not None and len(outline):
        ring = fips.isin(outline)
        ax.add_collection(
            PathCollection(
                [p for p, r in zip(county_paths, ring) if r],
                facecolors="none",
                edgecolors="#111111",
                linewidths=0.7,
            )
        )
        handles.append(
            Patch(facecolor="none", edgecolor="#111111", label=outline_label or "outlined")
        )
    _legend(ax, handles, legend_title)
    _bare(ax)


def status_map(ax, status: pd.Series, legend_title: str = "") -> None:
    """Map of a definition's classification (a FIPS-indexed Series of statuses)."""
    from matplotlib.patches import Patch

    fips, _, _, _ = _county_paths()
    statuses = status.reindex(fips).fillna("other")
    _draw(ax, [STATUS_COLOURS.get(s, STATUS_COLOURS["other"]) for s in statuses])
    counts = statuses.value_counts()
    handles = [
        Patch(facecolor=c, edgecolor="#9a9a9a", label=f"{n} ({counts.get(n, 0):,})")
        for n, c in STATUS_COLOURS.items()
        if counts.get(n, 0)
    ]
    _legend(ax, handles, legend_title)
    _bare(ax)


def shared_breaks(*series: pd.Series, scheme: str = "Quantiles", k: int = 5) -> list[float]:
    """Class breaks computed on several maps' values pooled, so the maps share one scale."""
    import mapclassify

    pooled = pd.concat(series).dropna().to_numpy()
    return list(getattr(mapclassify, scheme)(pooled, k=k).bins)


def _legend(ax, handles, title_text: str) -> None:
    ax.legend(
        handles=handles,
        title=title_text,
        loc="lower left",
        bbox_to_anchor=(0.86, 0.0),
        fontsize=8.5,
        title_fontsize=9,
        alignment="left",
    )


def _bare(ax) -> None:
    ax.set_axis_off()
    ax.set_aspect("equal")


# --- definitions -----------------------------------------------------------------


def definition_counts(summary: pd.DataFrame, n_counties: int):
    """Horizontal bars: counties each definition marks, with its population share
    (`summary`: indexed by definition, columns status, counties, population_share_pct)."""
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(summary) + 1.2))
    rows = summary.iloc[::-1]
    names = [labels.definition(d) for d in rows.index]
    ax.barh(names, rows["counties"], color=[STATUS_COLOURS[s] for s in rows["status"]])
    for y, (n, share) in enumerate(zip(rows["counties"], rows["population_share_pct"])):
        ax.text(n + 5, y, f"{n:,}  ({share:.0f} % of people)", va="center", fontsize=9)
    ax.set_xlabel(f"Counties marked (of {n_counties:,})")
    ax.set_xlim(0, summary["counties"].max() * 1.35)
    ax.grid(axis="y", visible=False)
    return fig, ax


def overlap_heatmap(overlap: pd.DataFrame):
    """Counties marked by both definitions, coloured by their share of the row's own count."""
    share = overlap.div(np.diag(overlap), axis=0) * 100
    fig, ax = plt.subplots(figsize=(7.5, 6))
    image = ax.imshow(share, cmap="Blues", vmin=0, vmax=100)
    names = [labels.definition(d) for d in overlap.index]
    ax.set_xticks(range(len(names)), names, rotation=45, ha="right")
    ax.set_yticks(range(len(names)), names)
    ax.grid(False)
    for i in range(len(names)):
        for j in range(len(names)):
            colour = "white" if share.iloc[i, j] > 60 else "#1f2328"
            ax.text(
                j,
                i,
                f"{overlap.iloc[i, j]:,}",
                ha="center",
                va="center",
                fontsize=8.5,
                color=colour,
            )
    fig.colorbar(image, ax=ax, label="% of the row's counties also marked by the column's")
    return fig, ax


def status_maps(statuses: dict[str, pd.Series], columns: int = 2):
    """One map per definition of its classification."""
    rows = -(-len(statuses) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(12, 3.4 * rows), squeeze=False)
    for ax, (name, status) in zip(axes.flat, statuses.items()):
        status_map(ax, status, legend_title=labels.definition(name))
        ax.set_title(
            f"{labels.definition(name)}: {int((status != 'other').sum()):,} counties", fontsize=11
        )
    for ax in list(axes.flat)[len(statuses) :]:
        ax.set_axis_off()
    return fig


def outcome_maps(
    values: dict[int, pd.Series],
    outcome: str,
    outline: pd.Index,
    outline_label: str,
    scheme: str = "Quantiles",
    k: int = 5,
):
    """Maps of one outcome in one or more years on one shared colour scale, with the
    focal counties outlined; each title gives the median inside and outside."""
    breaks = shared_breaks(*values.values(), scheme=scheme, k=k)
    fig, axes = plt.subplots(1, len(values), figsize=(7 * len(values), 4.6), squeeze=False)
    for ax, (year, series) in zip(axes[0], values.items()):
        county_map(
            ax,
            series,
            breaks=breaks,
            legend_title=labels.unit(outcome),
            outline=outline,
            outline_label=outline_label,
        )
        inside = series.reindex(outline).median()
        outside = series.drop(outline, errors="ignore").median()
        ax.set_title(
            f"{year}: median {inside:,.1f} in the outlined counties, {outside:,.1f} elsewhere",
            fontsize=11,
        )
    headline(fig, labels.variable(outcome))
    return fig


def border_map(pairs: pd.DataFrame, legend_title: str = ""):
    """The neighbouring-county pairs of a definition: the focal counties of the pairs,
    their neighbours across the line, and every other county in grey."""
    from matplotlib.patches import Patch

    fips, _, _, _ = _county_paths()
    focal, neighbours = set(pairs["fips_focal"]), set(pairs["fips_neighbour"])
    colours = [
        GROUP_COLOURS["sanctuary"]
        if f in focal
        else (GROUP_COLOURS["comparison"] if f in neighbours else STATUS_COLOURS["other"])
        for f in fips
    ]
    fig, ax = plt.subplots(figsize=(11, 6))
    _draw(ax, colours)
    handles = [
        Patch(
            facecolor=GROUP_COLOURS["sanctuary"], label=f"in a pair, on the list ({len(focal):,})"
        ),
        Patch(
            facecolor=GROUP_COLOURS["comparison"],
            label=f"its neighbours across the line ({len(neighbours):,})",
        ),
    ]
    _legend(ax, handles, legend_title)
    _bare(ax)
    return fig, ax


def city_points(ax, places: pd.DataFrame, label: str = "listed cities") -> None:
    """Cities as points (`places`: a `county` column), drawn at the centre of the county
    that holds most of each city's people: the panel has no city coordinates, so a
    point says where, to the county, not the city's own outline."""
    at = _county_centres().reindex(places["county"].astype(str)).dropna()
    ax.scatter(
        at.x,
        at.y,
        s=14,
        marker="o",
        facecolors=GROUP_COLOURS["comparison"],
        edgecolors="#1f2328",
        linewidths=0.4,
        zorder=6,
        label=f"{label} ({len(places):,})",
    )


def coverage_grid(table: pd.DataFrame, title_text: str = ""):
    """A state x year grid of counts (the cities the FBI's table lists), darker for more,
    with each count written in, so a state missing from a year shows as an empty cell."""
    fig, ax = plt.subplots(figsize=(9.5, 0.2 * len(table) + 1.6))
    shown = table.to_numpy(dtype=float)
    ax.imshow(np.log1p(shown), cmap="Blues", aspect="auto")
    ax.set_xticks(range(table.shape[1]), [str(c) for c in table.columns], fontsize=8.5)
    ax.set_yticks(range(len(table)), table.index, fontsize=7.5)
    ax.grid(False)
    for i in range(table.shape[0]):
        for j in range(table.shape[1]):
            value = int(shown[i, j])
            colour = "white" if value > 200 else "#1f2328"
            ax.text(j, i, f"{value:,}" if value else "none", ha="center", va="center",
                    fontsize=6.5, color=colour if value else "#b2182b")  # fmt: skip
    if title_text:
        title(ax, title_text)
    fig.tight_layout()  # room for long row labels ("Median household income")
    return fig, ax


def synthetic_gaps(details: pd.DataFrame, outcome: str, columns: int = 4):
    """One panel per treated state: its gap from its synthetic control by year (the
    state minus its synthetic self, in the outcome's unit), every placebo state's gap in
    grey behind it (the figure of Abadie, Diamond and Hainmueller 2010), the years
    from the law on shaded."""
    rows = details[(details["outcome"] == outcome) & details["role"].isin(["treated", "placebo"])]
    states = list(dict.fromkeys(rows.loc[rows["role"] == "treated", "treated_state"]))
    fig, axes = _grid(len(states), 2.9, 2.5, columns)
    for ax, state in zip(axes, states):
        part = rows[rows["treated_state"] == state]
        treated = part[part["role"] == "treated"].sort_values("year")
        adoption = int(treated["year"].iloc[0] - treated["relative_year"].iloc[0])
        ax.axvspan(adoption - 0.5, treated["year"].max() + 0.5, color="#f2f2f2", zorder=0)
        for _, placebo in part[part["role"] == "placebo"].groupby("state"):
            placebo = placebo.sort_values("year")
            ax.plot(placebo["year"], placebo["gap"], color="#c7c7c7", linewidth=0.7, zorder=1)
        ax.plot(treated["year"], treated["gap"], color="#1f2328", linewidth=2, zorder=3)
        ax.axhline(0, color="#1f2328", linewidth=0.6, linestyle=":")
        ax.set_title(f"{state} (law {adoption})", fontsize=10)
        ax.tick_params(labelsize=8)
        ax.set_xlim(treated["year"].min() - 0.5, treated["year"].max() + 0.5)
        if ax.get_subplotspec().is_first_col():
            # The unit goes in the caption: a long unit under a short panel runs into the
            # headline.
            ax.set_ylabel("gap", fontsize=8)
    fig.tight_layout()
    return fig


def synthetic_paths(details: pd.DataFrame, outcome: str, columns: int = 4):
    """One panel per treated state: the state's outcome by year and its synthetic
    control's, the years from the law on shaded."""
    rows = details[(details["outcome"] == outcome) & (details["role"] == "treated")]
    states = list(dict.fromkeys(rows["treated_state"]))
    fig, axes = _grid(len(states), 2.9, 2.5, columns)
    for ax, state in zip(axes, states):
        part = rows[rows["treated_state"] == state].sort_values("year")
        adoption = int(part["year"].iloc[0] - part["relative_year"].iloc[0])
        ax.axvspan(adoption - 0.5, part["year"].max() + 0.5, color="#f2f2f2", zorder=0)
        ax.plot(part["year"], part["value"], color="#1f2328", linewidth=2, label=state)
        ax.plot(
            part["year"], part["synthetic"], color=GROUP_COLOURS["sanctuary"], linestyle="--",
            linewidth=1.6, label=f"synthetic {state}",
        )  # fmt: skip
        ax.set_title(f"{state} (law {adoption})", fontsize=10)
        ax.tick_params(labelsize=8)
        ax.legend(fontsize=7, loc="best")
    fig.tight_layout()  # the unit is in the caption (see synthetic_gaps)
    return fig
