"""Figures a reader can read: no text runs into other text, and each figure says in
words what it shows (analysis.publish.figure_text, analysis.publish.plots)."""

from __future__ import annotations

import json

import matplotlib
import pandas as pd
import pytest

matplotlib.use("agg")
import matplotlib.pyplot as plt

from analysis.core import paths
from analysis.publish import plots
from analysis.publish.figure_text import description, overlapping_labels

LONG_UNIT = "murders, robberies and aggravated assaults per 10,000 residents"


def forest_rows() -> pd.DataFrame:
    """Two methods' estimates for two outcomes, as compare() returns them."""
    rows = []
    for outcome in ("violent_no_rape_per_10k", "violent_per_10k", "property_per_10k"):
        for method in ("diff_means", "match"):
            rows.append(
                {"outcome": outcome, "method": method, "estimate": 5.0, "ci_low": -1.0,
                 "ci_high": 11.0, "covariates": "city", "weights": "none"}
            )  # fmt: skip
    return pd.DataFrame(rows)


def test_two_labels_side_by_side_that_touch_are_found():
    fig, axes = plt.subplots(1, 2, figsize=(6, 3))
    axes[0].set_xlabel(LONG_UNIT)
    axes[1].set_xlabel("crimes per 10,000 residents")
    fig.tight_layout()
    clashes = overlapping_labels(fig)
    plt.close(fig)
    assert (LONG_UNIT, "crimes per 10,000 residents") in clashes


def test_a_figure_whose_labels_stand_apart_has_no_clash():
    fig, axes = plt.subplots(1, 2, figsize=(8, 3))
    axes[0].set_xlabel("crimes per 10,000")
    axes[1].set_xlabel("percent")
    fig.tight_layout()
    assert overlapping_labels(fig) == []
    plt.close(fig)


def test_a_long_unit_under_each_panel_of_the_forest_plot_stays_under_its_panel():
    # Seen on the city compare pages: the unit of violent crime without rape ran into
    # the unit of the panel beside it.
    fig = plots.forest(forest_rows())
    plots.headline(fig, "After matching, violent crime without rape is not clearly different")
    assert overlapping_labels(fig) == []
    plt.close(fig)


def test_a_long_rotated_label_stays_clear_of_the_headline():
    # Seen on the SB 54 page: the event study's first y label ran up into the headline.
    # And thirteen years' tick labels ran together ("−4−3−2−1") on the ICE 2014 page.
    years = [-4, -3, -2, *range(0, 9)]
    rows = pd.DataFrame(
        {"outcome": "violent_no_rape_per_10k",
         "term": ["relative year"] * len(years) + ["reference"],
         "relative_year": [*years, -1], "estimate": [0.1] * len(years) + [0.0],
         "ci_low": [-1.0] * len(years) + [0.0], "ci_high": [1.0] * len(years) + [0.0]}
    )  # fmt: skip
    fig = plots.event_study(rows)
    plots.headline(fig, "Violent crime without rape after the law: no clear change")
    assert overlapping_labels(fig) == []
    plt.close(fig)


def test_a_figure_says_in_words_what_it_shows():
    fig = plots.forest(forest_rows())
    plots.headline(fig, "Matching narrows the difference")
    plots.caption(fig, "Source: FBI, Offenses Known to Law Enforcement by City, 2016.")
    words = description(fig)
    plt.close(fig)
    assert words.startswith("Matching narrows the difference.")
    assert "3 panels: Violent crime without rape; Violent crime; Property crime" in words
    assert "Across: murders, robberies and aggravated assaults per 10,000" in words
    assert words.endswith("Source: FBI, Offenses Known to Law Enforcement by City, 2016.")


@pytest.mark.integration
def test_no_figure_on_any_built_page_has_text_running_into_other_text():
    metas = sorted((paths.reports_dir() / "meta").glob("*.json"))
    if not metas:
        pytest.skip("reports not built (make reports)")
    records = {meta.stem: json.loads(meta.read_text()) for meta in metas}
    unchecked = [name for name, r in records.items() if r["figures"] and "figure_overlaps" not in r]
    assert unchecked == []  # built before the check: `make reports` rebuilds them
    clashes = {
        f"{name}/{slug}": pairs
        for name, record in records.items()
        for slug, pairs in record["figure_overlaps"].items()
    }
    assert clashes == {}


@pytest.mark.integration
def test_every_figure_on_every_built_page_has_a_text_alternative_beyond_its_title():
    metas = sorted((paths.reports_dir() / "meta").glob("*.json"))
    if not metas:
        pytest.skip("reports not built (make reports)")
    thin = {}
    for meta in metas:
        record = json.loads(meta.read_text())
        for slug in record["figures"]:
            alt = record["figure_alt"].get(slug, "")
            if len(alt.split()) < 12:  # a headline alone; the axes and source are missing
                thin[f"{meta.stem}/{slug}"] = alt
    assert thin == {}


def test_a_map_without_axes_keeps_its_panel_titles_in_its_text_alternative():
    # The house style titles on the left; maps turn their axes off. Both panels' titles
    # were left out of the maps' text alternatives.
    fig, axes = plt.subplots(1, 2)
    for ax, name in zip(axes, ["ICE 2014 table", "DHS list, 2025"]):
        plots.title(ax, name)
        ax.set_axis_off()
    words = description(fig)
    plt.close(fig)
    assert words == "2 panels: ICE 2014 table; DHS list, 2025."
