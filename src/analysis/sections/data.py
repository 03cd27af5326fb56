"""The sections of the page on what the data hold (notebooks/08_data): the LAUS
revision where two releases overlap, and the FBI city table's agencies, placed and not."""

from __future__ import annotations

import pandas as pd

from ..panels import inventory
from ..publish import plots


def laus_revisions(report) -> pd.DataFrame:
    """How far the later LAUS release moved the county rates the panel uses: the table,
    and the first and last years in words."""
    revisions = inventory.laus_revisions()
    report.table(
        revisions,
        "laus-revisions",
        "The later release (ERS, 2023 edition) against the April 2023 re-issue",
        float_format="{:,.3f}",
    )
    first, last = revisions.iloc[0], revisions.iloc[-1]
    report.finding(
        f"Revised: the later edition keeps {first['rate_unchanged_pct']:.1f} % of the county "
        f"rates of {first['year']:.0f} and {last['rate_unchanged_pct']:.1f} % of "
        f"{last['year']:.0f}; the mean change is at most "
        f"{revisions['rate_mean_abs_change_points'].max():.2f} points, the largest "
        f"{revisions['rate_largest_change_points'].max():.1f}."
    )
    return revisions


def city_agencies(report, cities: pd.DataFrame) -> pd.DataFrame:
    """The FBI city table's agencies by year, placed and not (table and share in words),
    the placed cities by state and year (figure) and the rows not placed (table)."""
    agencies = inventory.city_agencies()
    placed = "Agencies in the FBI's city table, placed and not"
    report.table(agencies, "city-agencies", placed, csv_only=["population_kept"])
    share = 100 * agencies["dropped"].sum() / agencies["agencies"].sum()
    report.finding(
        f"Of {agencies['agencies'].sum():,} agency-years in the city tables "
        f"{cities['year'].min()}-{cities['year'].max()}, {share:.1f} % could not be placed."
    )
    fig, _ = plots.coverage_grid(
        inventory.cities_by_state(cities), "Cities in the FBI's table, by state and year"
    )
    plots.caption(
        fig,
        "Placed cities per state and year; 'none': no agency of the state in that year's table.",
    )
    report.figure(fig, "cities-by-state")
    report.table(inventory.city_unplaced(), "city-unplaced", "Agency rows not placed", max_rows=20)
    return agencies
