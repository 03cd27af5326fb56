"""The sections of a comparison page (notebooks/02_compare): the groups outcome by
outcome, every method side by side with the sensitivity of the matched estimates,
covariate balance, urban-rural classes, the later year beside the first, and
neighbouring counties."""

from __future__ import annotations

import pandas as pd

from .. import compare as cmp
from ..compare.design import MIN_PER_GROUP
from ..core.errors import AnalysisError
from ..panels.units import BORDER_PAIRS, DEFAULT_UNIT
from ..panels.units import unit as lookup_unit
from ..publish import findings, labels, plots
from . import scope

# The columns a reader's table of matched estimates shows beside the sensitivity values.
SENSITIVITY_COLUMNS = ["outcome", "estimate", "ci_low", "ci_high", "p_value"]
SENSITIVITY_COLUMNS += ["rosenbaum_gamma", "e_value", "e_value_ci"]


def require_groups(groups, places: pd.DataFrame, year: int) -> None:
    """Stop, saying why, when the year's rows have too few places in a group for any
    method (each needs MIN_PER_GROUP in each group): a user's list of one county, say."""
    counts = places["group"].value_counts()
    focal, others = int(counts.get(groups.focal_group, 0)), int(counts.get("comparison", 0))
    if min(focal, others) < MIN_PER_GROUP:
        name = labels.definition(groups.definition)
        raise AnalysisError(
            f"{name}{f' ({groups.definition})' if name != groups.definition else ''} has "
            f"{focal:,} {groups.focal_group} "
            f"{groups.unit.singular if focal == 1 else groups.unit.plural} in {year} against "
            f"{others:,} "
            f"comparison {groups.unit.plural}: every method needs at least {MIN_PER_GROUP} "
            "in each group. Add places to the list, or choose another year, definition or "
            "comparison."
        )


def who_is_compared(report, definition: str, year: int, outcome: str, groups, places,
                    **choice) -> pd.DataFrame:  # fmt: skip
    """The one line from the list to the matched comparison (listed, in the data that
    year, over the size cut, with every value matching needs), and the year's rows of the
    places over the size cut: the places every figure and table below compares."""
    row = cmp.compare(definition, "match", year, [outcome], **choice).iloc[0]
    report.who_is_compared(findings.funnel(row, len(groups.focal), len(groups.control)))
    cut = row.get("min_population", float("nan"))
    return places if pd.isna(cut) else places[places["population"] >= cut]


def distributions(report, units: pd.DataFrame, groups, outcomes: list[str], caption: str):
    """Box plots of each outcome by group, headed by the plain difference in means."""
    fig = plots.group_boxes(units, outcomes, [groups.focal_group, "comparison"])
    means = units.groupby("group")[outcomes[0]].mean()
    gap = means[groups.focal_group] - means["comparison"]
    plots.headline(
        fig,
        f"Before any adjustment, {groups.focal_group} {groups.unit.plural} average "
        f"{labels.signed(gap, 1, outcomes[0])} {labels.unit(outcomes[0])} of "
        f"{labels.short(outcomes[0]).lower()}",
    )
    plots.caption(fig, caption, width=150)
    report.figure(fig, "distributions")
    return fig


def methods(report, definition: str, year: int, outcomes: list[str], caption: str, **choice):
    """Every cross-sectional method side by side (table and figure), the matched
    estimate as the page's finding, and how strong a hidden confounder would have to be
    to explain each matched difference away."""
    weights = choice.pop("weights", "none")
    estimates = cmp.side_by_side(definition, year, outcomes, weights=weights, **choice)
    report.table(
        estimates[cmp.SUMMARY_COLUMNS], "estimates", "Sanctuary minus comparison, by method"
    )
    matched = estimates[estimates["method"] == "match"].reset_index(drop=True)
    first = matched.iloc[0]
    fig = plots.forest(estimates)
    plots.headline(
        fig,
        f"After matching, {labels.short(first['outcome']).lower()} is "
        f"{labels.direction(first)} in {first['focal_group']} "
        f"{labels.units(first['unit'])}: {labels.interval(first)}",
    )
    points = f"Points: {first['focal_group']} minus comparison; lines: 95 % intervals."
    plots.caption(fig, f"{caption} {points}", 150)
    report.figure(fig, "estimates", lead=True)
    report.finding(findings.matched(first))
    report.table(
        matched[SENSITIVITY_COLUMNS],
        "sensitivity",
        "Matched estimates and how strong a hidden confounder would have to be",
    )
    for row in matched[matched["rosenbaum_gamma"] > 1].to_dict("records"):
        report.note(findings.sensitivity(row) + ".")  # the others: not significant at all
    return estimates, fig


def balance(report, definition: str, year: int, outcome: str, **choice) -> pd.DataFrame:
    """Standardised mean differences of the matching covariates, before and after."""
    _, table = cmp.compare(definition, "match", year, [outcome], details=True, **choice)
    caption = f"Covariate balance, {labels.short(outcome).lower()} (flagged: |SMD| > 0.1)"
    report.table(table[cmp.BALANCE_COLUMNS], "balance", caption, float_format="{:,.3f}")
    return table


def strata(report, definition: str, year: int, outcome: str, caption: str, **choice):
    """The matched comparison within each NCHS urban-rural class."""
    by_class = cmp.compare(definition, "strata", year, [outcome], **choice)
    shown = ["stratum_label", *cmp.SUMMARY_COLUMNS[3:]]
    report.table(by_class[shown], "by-urban-rural-class", "Matched estimate within each class")
    fig = plots.forest(by_class, width=7)
    clear = by_class.apply(labels.direction, axis=1).ne("not clearly different").sum()
    plots.title(
        fig.axes[0],
        f"Within urban-rural classes, {clear} of {len(by_class)} intervals exclude zero",
    )
    plots.caption(fig, caption)
    report.figure(fig, "by-urban-rural-class")
    return by_class, fig


def then_and_now(
    report, definition: str, years: list[int], outcomes: list[str], caption: str, **choice
):
    """The matched comparison in the page's year and in a later one (the 2025 lists
    against their own time), for the outcomes the later year has."""
    unit = choice.get("unit", "county")
    later = [o for o in outcomes if years[-1] in cmp.outcome_years(o, unit)]
    gone = [o for o in outcomes if o not in later]
    report.unavailable(scope.left_out(choice["panel"], gone, years[-1:], "Not in the later year"))
    if not later:
        return None, None
    both = pd.concat(
        [cmp.compare(definition, "match", y, later, **choice) for y in years], ignore_index=True
    )
    fig = plots.forest(both, label=lambda r: str(r["year"]), width=3.4)
    sentence = findings.then_and_now(both)
    plots.headline(fig, f"{labels.short(later[0])}, matched: {years[0]} and {years[-1]}")
    plots.caption(fig, caption + " Matched estimates, 95 % intervals.", 150)
    report.figure(fig, "then-and-now")
    report.table(both[["year", *cmp.SUMMARY_COLUMNS]], "then-and-now", "Matched, by year")
    report.finding(sentence)
    return both, fig


def next_door(
    report, definition: str, year: int, outcomes: list[str], comparison: str, panel, unit=None
):
    """Neighbouring counties across the line: the pairs on a map, each outcome's mean
    within-pair difference, and the first outcome's in words. (None, None) for a unit
    without boundaries to share (cities), which the page says."""
    found = lookup_unit(unit or DEFAULT_UNIT)
    if BORDER_PAIRS not in found.supports:
        report.note(f"There are no neighbouring pairs of {found.plural}: they share no boundaries.")
        return None, None
    pairs = cmp.border_pairs_of(definition, comparison)
    table = cmp.compare(definition, "border", year, outcomes, comparison=comparison, panel=panel)
    report.table(
        table[[*cmp.SUMMARY_COLUMNS, "n_pairs"]], "next-door", "Neighbouring counties, by outcome"
    )
    fig, ax = plots.border_map(pairs, labels.definition(definition))
    plots.title(ax, f"{len(pairs):,} pairs of neighbouring counties on either side of the line")
    plots.caption(
        fig,
        "Counties whose 2015 boundaries touch (a shared edge or corner), one on the list and "
        "one not; each pair counts once; errors clustered by both counties of a pair.",
    )
    report.figure(fig, "next-door")
    report.finding(findings.border(table.iloc[0]))
    return table, fig
