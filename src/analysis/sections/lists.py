"""The sections of the pages about the lists themselves (notebooks/01_definitions,
06_maps): how many counties each marks, their overlap, the cities each marks, the state
laws, and a definition's map."""

from __future__ import annotations

import pandas as pd

from ..core.paths import list_file
from ..jurisdictions import city_summary, list_definitions, load_definition
from ..jurisdictions import overlap as shared_counties
from ..panels import availability
from ..panels.load import load_panel
from ..panels.units import outcome_years
from ..publish import labels, plots


def definition_counts(report, summary: pd.DataFrame, n_counties: int, caption: str):
    """How many counties each definition marks (table, figure) and the range in words."""
    sanctuary = summary[summary["status"] == "sanctuary"]["counties"]
    fewest, most = sanctuary.idxmin(), sanctuary.idxmax()
    share = summary["population_share_pct"]
    report.finding(
        f"The sanctuary definitions mark between {sanctuary[fewest]:,} "
        f"({labels.definition(fewest)}) and {sanctuary[most]:,} ({labels.definition(most)}) "
        f"of the {n_counties:,} counties, home to {share[fewest]:.0f} % to "
        f"{share[most]:.0f} % of the population."
    )
    report.table(
        summary.reset_index(),
        "definitions",
        "Definitions and the counties they mark",
        float_format="{:,.1f}",
    )
    fig, ax = plots.definition_counts(summary, n_counties)
    plots.title(
        ax,
        f"The lists disagree by a factor of {sanctuary[most] / sanctuary[fewest]:.0f}: "
        f"{sanctuary[fewest]:,} to {sanctuary[most]:,} sanctuary counties",
    )
    plots.caption(fig, "Blue: sanctuary definitions; red: cooperating (287(g)). " + caption)
    report.figure(fig, "counties-per-definition", lead=True)
    return fig


def overlap(report, definitions: list[str]):
    """Counties marked by both of each pair of definitions (table, heatmap), and how
    few of the 2014 table's counties the 2025 DHS list names."""
    shared = shared_counties(definitions)
    report.table(shared.reset_index(), "overlap", "Counties marked by both definitions")
    if {"ice2014", "dhs2025"} <= set(definitions):
        both, alone = shared.loc["ice2014", "dhs2025"], shared.loc["ice2014", "ice2014"]
        report.finding(
            f"Only {both} of the {alone} counties in the {labels.definition('ice2014')} are "
            f"also on the {labels.definition('dhs2025')} ({100 * both / alone:.0f} %)."
        )
    fig, ax = plots.overlap_heatmap(shared)
    plots.title(ax, "Few counties are on more than one list")
    plots.caption(fig, "Numbers: counties marked by both. Colour: share of the row's counties.")
    report.figure(fig, "overlap")
    return shared, fig


def cities_marked(report, definitions: list[str], year: int):
    """The cities each definition marks, by how (named, inside a listed county or
    state), and how many of them the year's FBI table has, with the reading in words."""
    table = city_summary(definitions, load_panel(unit="city", years=[year]))
    report.table(table, "cities", f"Cities each definition marks; the FBI's table, {year}")
    strict = table[table["city_reading"] == "strict"]
    for row in strict[strict["status"] == "sanctuary"].to_dict("records"):
        broad = table[(table["definition"] == f"{row['definition']}_broad")]
        if not broad.empty:
            report.finding(
                f"{labels.definition(row['definition'])}: {row['cities']:,} cities read "
                f"strictly (named), {broad['cities'].iloc[0]:,} read broadly (with every "
                "city inside a listed county or state)."
            )
    return table


def state_laws(report) -> pd.DataFrame:
    """The state laws the `state_laws` definition reads, with their dates and citations."""
    laws = pd.read_csv(list_file("state_laws.csv"), dtype=str)
    report.table(
        laws[["jurisdiction", "state", "enacted", "note", "source"]],
        "state-laws",
        "State laws limiting cooperation with immigration detainers, as dated here",
    )
    return laws


def definition_map(report, definition: str, status: pd.Series):
    """The definition's counties on a map, with the cities it marks (in its city
    reading) as points, and where they are in words."""
    import matplotlib.pyplot as plt

    about = list_definitions().loc[definition]
    focal = status.index[status == about["status"]]
    cities = load_definition(definition, unit="city")
    marked = cities.index[cities == about["status"]]
    places = load_panel(unit="city", columns=["county"]).drop_duplicates("place")
    places = places.set_index("place")
    fig, ax = plt.subplots(figsize=(11, 6))
    plots.status_map(ax, status, legend_title=labels.definition(definition))
    if about["city_reading"] == "strict" and len(marked):  # broad: every city of the counties
        plots.city_points(ax, places.reindex(marked).dropna(subset=["county"]), "cities listed")
        ax.legend(loc="lower left", fontsize=8, frameon=False)
    plots.title(
        ax, f"{len(focal):,} counties are {about['status']} under {labels.definition(definition)}"
    )
    plots.caption(
        fig,
        f"{about['title']} ({about['as_of']}). Counties on 2015 boundaries; Alaska and Hawaii "
        "moved and Alaska shrunk; Albers equal-area projection. Points: listed cities in the "
        "FBI's city table, drawn at the centre of the county holding most of their people.",
    )
    report.figure(fig, "definition", lead=True)
    states = status.loc[focal].index.str[:2].value_counts()
    report.finding(
        f"{labels.definition(definition)}: the {len(focal):,} {about['status']} counties lie in "
        f"{len(states)} states; the five with the most hold "
        f"{100 * states.head(5).sum() / len(focal):.0f} % of them; the definition marks "
        f"{len(marked):,} cities ({about['city_reading']} reading)."
    )
    return fig


def outcome_maps(
    report, definition: str, status: pd.Series, panel: pd.DataFrame, outcomes: list[str],
    years: list[int], scheme: str, classes: int,
) -> list:  # fmt: skip
    """Each outcome mapped in each of `years` it has, on one colour scale (mapclassify's
    `scheme` with `classes` classes), the definition's counties outlined; the years an
    absent optional source leaves out are named on the page."""
    marks = list_definitions().loc[definition, "status"]
    focal = status.index[status == marks]
    by_year = panel.set_index(["year", "fips"])
    figs = []
    for outcome in outcomes:
        shown = [y for y in years if y in outcome_years(outcome)]
        absent = availability.absent_years(panel, outcome, shown)
        left_out = f"Left out of the {labels.short(outcome).lower()} maps"
        report.unavailable(absent and availability.notice(absent, left_out))
        values = {y: by_year.loc[y, outcome] for y in shown if y not in absent}
        outlined = f"{marks} ({labels.definition(definition)})"
        fig = plots.outcome_maps(values, outcome, focal, outlined, scheme, classes)
        plots.caption(
            fig,
            f"Classes: {scheme}, {classes} classes on both years pooled. Outlined: "
            f"{labels.definition(definition)}. {labels.variable(outcome)}.",
        )
        report.figure(fig, f"map-{outcome.replace('_', '-')}")
        figs.append(fig)
    return figs
