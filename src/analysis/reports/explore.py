"""The explorer page (reports/explore.html): any one specification of the curve.

A reader picks the definition, year, outcome, method, comparison group,
covariates and crime-data coverage cut; the page shows that specification's
estimate, interval and county counts, and where it falls among every
specification of the same outcome. It is built from the robustness report's
table of specifications with Altair (Vega-Lite), the Vega JavaScript inlined
through vl-convert, so it opens offline and makes no request.
"""

from __future__ import annotations

import html
from pathlib import Path

from ..core import paths
from ..core.atomic import write_text
from ..core.errors import AnalysisError
from ..publish import labels
from ..publish.layout import tables_dir
from ..publish.reporting import script_json
from .config import template_dir

SOURCE_REPORT = "robustness"
SELECTORS = [
    "unit",
    "definition",
    "year",
    "outcome",
    "method",
    "comparison",
    "covariates",
    "coverage",
]
NO_CUT = "no coverage cut"


def explorer_path() -> Path:
    return paths.reports_dir() / "explore.html"


def specifications_path() -> Path:
    return tables_dir(SOURCE_REPORT) / "specifications.csv"


def load_specifications():
    """The specifications table with the selectors' values in words."""
    import pandas as pd

    path = specifications_path()
    if not path.exists():
        raise AnalysisError(f"{paths.relative(path)} does not exist yet: run `make reports`.")
    table = pd.read_csv(path).dropna(subset=["estimate"])
    table["covariates"] = table["covariates"].fillna("none")
    weighted = table["weights"].eq("population")
    table["method"] = table["method"].map(labels.method) + weighted.map(
        {True: " (population-weighted)", False: ""}
    )
    table["outcome"] = table["outcome"].map(labels.variable)
    table["definition"] = table["definition"].map(labels.definition)
    table["unit"] = table["unit"].fillna("county") if "unit" in table else "county"
    table["year"] = table["year"].astype(int)
    cut = table["min_coverage"] if "min_coverage" in table else pd.Series(float("nan"), table.index)
    table["coverage"] = cut.map(
        lambda c: NO_CUT if pd.isna(c) else f"crime coverage at least {c:g} %"
    )
    return table[
        [*SELECTORS, "estimate", "ci_low", "ci_high", "p_value", "n_focal", "n_comparison"]
    ].reset_index(drop=True)


# What the page shows first: the 2017 report's comparison with the 2014 list.
DEFAULT = {
    "unit": "county",
    "definition": labels.definition("ice2014"),
    "year": 2015,
    "outcome": labels.variable("total_crime_per_10k"),
    "method": labels.method("match"),
    "comparison": "all others",
    "covariates": "cap",
    "coverage": NO_CUT,
}


def default_choice(table):
    """The first specification matching DEFAULT (as many of its choices as exist)."""
    rows = table
    for name, value in DEFAULT.items():
        if (rows[name] == value).any():
            rows = rows[rows[name] == value]
    return rows.iloc[0]


def chart(table):
    """The Vega-Lite chart: selectors bound to the seven choices, the curve of the chosen
    outcome with the chosen specification marked, and its numbers."""
    import altair as alt

    first = default_choice(table)
    params = {}
    for name in SELECTORS:
        options = sorted(table[name].unique().tolist())
        params[name] = alt.param(
            name=name, value=first[name], bind=alt.binding_select(options=options, name=f"{name} ")
        )
    chosen = " && ".join(f"datum.{n} == {n}" for n in SELECTORS)
    base = (
        alt.Chart(table)
        .transform_filter("datum.outcome == outcome && datum.unit == unit")
        .transform_window(rank="row_number()", sort=[alt.SortField("estimate")])
        .transform_calculate(chosen=chosen)
    )
    interval = base.mark_rule(opacity=0.35).encode(
        x=alt.X("rank:Q", title="specifications of this unit and outcome, sorted by estimate"),
        y=alt.Y("ci_low:Q", title="sanctuary minus comparison"),
        y2="ci_high:Q",
        color=alt.condition("datum.chosen", alt.value("#d95f02"), alt.value("#9a9a9a")),
    )
    points = base.mark_circle().encode(
        x="rank:Q",
        y="estimate:Q",
        size=alt.condition("datum.chosen", alt.value(160), alt.value(14)),
        color=alt.condition("datum.chosen", alt.value("#d95f02"), alt.value("#1b6ca8")),
        tooltip=[
            *SELECTORS,
            alt.Tooltip("estimate:Q", format="+,.2f"),
            alt.Tooltip("ci_low:Q", format="+,.2f"),
            alt.Tooltip("ci_high:Q", format="+,.2f"),
            "n_focal:Q",
            "n_comparison:Q",
        ],
    )
    # The zero line is a guide, not data: screen readers skip it (aria=False).
    zero = alt.Chart().mark_rule(color="#1f2328", aria=False).encode(y=alt.datum(0))
    curve = alt.layer(interval, points, zero).properties(width=760, height=320)
    readout = base.transform_joinaggregate(total="count()").transform_filter("datum.chosen")
    lines = [
        ("estimate", "'Estimate: ' + format(datum.estimate, '+,.2f')"),
        (
            "interval",
            "'95 % interval: ' + format(datum.ci_low, '+,.2f') + ' to ' + "
            "format(datum.ci_high, '+,.2f')",
        ),
        (
            "compared",
            "'Compared: ' + format(datum.n_focal, ',') + ' sanctuary vs ' + "
            "format(datum.n_comparison, ',') + ' comparison ' + "
            "(datum.unit == 'city' ? 'cities' : 'counties')",
        ),
        (
            "position",
            "'Rank ' + datum.rank + ' of ' + datum.total + ' specifications of this "
            "unit and outcome, lowest first'",
        ),
    ]
    texts = [
        readout.transform_calculate(text=expr)
        .mark_text(
            align="left",
            fontSize=15 if key == "estimate" else 13,
            fontWeight="bold" if key == "estimate" else "normal",
        )
        .encode(text="text:N", x=alt.value(0), y=alt.value(18 + 24 * i), description=alt.value(key))
        for i, (key, expr) in enumerate(lines)
    ]
    readout_layer = alt.layer(*texts).properties(width=760, height=110)
    return (
        alt.vconcat(readout_layer, curve)
        .add_params(*params.values())
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=11, titleFontSize=12)
    )


def build_explorer() -> Path:
    """Write reports/explore.html from the robustness report's specifications."""
    import vl_convert as vlc

    table = load_specifications()
    shared = {
        "css": (template_dir() / "report" / "site.css").read_text(),
        "source": html.escape(f"reports/tables/{SOURCE_REPORT}/specifications.csv"),
    }
    if table.empty:  # every specification lacked data: a page that says so, not a chart
        page = EMPTY_PAGE.format(**shared)
    else:
        page = PAGE.format(
            **shared,
            bundle=vlc.javascript_bundle(),
            spec=script_json(chart(table).to_dict()),
            n=f"{len(table):,}",
        )
    write_text(explorer_path(), page)
    return explorer_path()


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sanctuary counties and cities: explore every specification</title>
<style>{css}
#explorer.vega-embed, #explorer .vega-embed {{ display: flex; flex-direction: column; }}
#explorer form.vega-bindings {{ order: -1; display: grid; gap: 0.4rem 1rem; margin-bottom: 1rem;
  grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); }}
#explorer .vega-bind-name {{ display: inline-block; min-width: 7rem; font-weight: 600; }}
#explorer select {{ max-width: 100%; }}
#explorer {{ overflow-x: auto; }}
</style></head>
<body><main class="site">
<p class="crumbs"><a href="index.html">All reports</a></p>
<h1>Explore every specification</h1>
<p class="lede">Choose counties or cities, a definition of "sanctuary", a year, an outcome, a
method, a comparison group, covariates and, for county crime, whether counties with under 90 %
crime-data coverage are left out. The page shows that comparison's estimate (sanctuary minus
comparison, in the outcome's unit), its 95 % interval and the places compared, and marks it in
orange among the robustness report's specifications of the same unit and outcome ({n} in all).
Where no specification has the combination (a method without covariates, or cities with
poverty, say), the numbers are blank: change a choice.</p>
<div id="explorer"></div>
<p class="meta">Data: <a href="tables/robustness/specifications.csv">{source}</a>, the
robustness report's table; see that report for how each specification is estimated.</p>
<script>{bundle}</script>
<script>
vegaEmbed("#explorer", {spec}, {{renderer: "svg", actions: false}});
</script>
</main></body></html>
"""

EMPTY_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sanctuary counties and cities: explore every specification</title>
<style>{css}</style></head>
<body><main class="site">
<p class="crumbs"><a href="index.html">All reports</a></p>
<h1>Explore every specification</h1>
<p class="lede">No specification could be estimated in this build: every one the robustness
report asked for needs data this build lacks (see that report's notes, and
<a href="{source}">its table</a>, for which years and why).</p>
</main></body></html>
"""
