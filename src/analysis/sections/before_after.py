"""The sections of a before-and-after page (notebooks/04_before_after): the event
study in words, by year and as a table; its robust intervals (Rambachan-Roth); the
average after adoption under other assumptions or focal groups; and the county crime
difference-in-differences."""

from __future__ import annotations

import pandas as pd

from .. import compare as cmp
from ..compare.definitions import state_rows_only
from ..panels import availability
from ..panels.units import unit as lookup_unit
from ..panels.years import UCR_FILES
from ..publish import findings, labels, plots
from ..publish.replication import published_findings


def estimate(report, definition: str, outcomes: list[str], robust: bool = True, **options):
    """The event study of `outcomes` (and, when `robust`, its robust intervals): (events,
    intervals or None). With no outcome to study (an optional source's years absent, say)
    the page says so, and the sections that follow show nothing."""
    if not outcomes:
        report.finding(
            f"{labels.definition(definition)}: no outcome asked for has every year the event "
            "study needs in this build (see the note above), so there is no event study here."
        )
        return pd.DataFrame(columns=["outcome", "term", "relative_year"]), None
    run = cmp.compare(definition, "event", None, outcomes, details=robust, **options)
    return run if robust else (run, None)


def event_study(report, events: pd.DataFrame, definition: str, caption: str, sentences: bool):
    """The event study's summary (a finding per outcome), its figure by year since
    adoption (None when no year could be estimated), and its table."""
    if events.empty:
        return pd.DataFrame(), None
    summary = findings.event_summary(events)
    if sentences:  # one short sentence per outcome, its numbers in the table below
        for sentence in summary["answer"].dropna():
            report.finding(f"{_named(definition, events)}: {sentence}.")
    shown = ["outcome", "level_gap_at_reference", "gaps_before", "pretrend_p_value"]
    shown += ["estimate", "ci_low", "ci_high", "placebo_p", "breakdown_mbar", "n_focal"]
    shown += ["n_comparison"]
    summary = summary.dropna(axis=1, how="all")  # placebo_p only where states were placebos
    report.table(
        summary[[c for c in shown if c in summary]],
        "event-summary",
        "Before adoption and after: the gap, the pre-trend test and the average change",
    )
    adopters = labels.units(events["unit"].iloc[0]) if "unit" in events else "places"
    report.caveats(findings.event_caveats(summary, adopters))
    fig = None
    if events["relative_year"].notna().any():
        fig = plots.event_study(events)
        first = events.iloc[0]
        plots.headline(
            fig,
            f"{_named(definition, events)}: by year since adoption, "
            f"{first['focal_group']} minus {labels.with_labels(first['comparison'])}",
        )
        plots.caption(fig, caption, width=150)
        report.figure(fig, "event-study", lead=True)
    columns = ["outcome", "term", "relative_year", "calendar_years", "estimate", "ci_low"]
    columns += ["ci_high", "n_sanctuary", "n_control"]
    report.table(
        events,
        "event-study",
        "Estimates by year since adoption",
        max_rows=12,
        csv_only=[c for c in events.columns if c not in columns],
    )
    return summary, fig


def _named(definition: str, table: pd.DataFrame) -> str:
    """The definition's label, with the states a table keeps ('State laws (CA)')."""
    kept = table["states"].dropna().unique() if "states" in table else []
    return labels.definition(definition) + (f" ({', '.join(kept)})" if len(kept) == 1 else "")


def robust_intervals(report, intervals: pd.DataFrame) -> None:
    """The robust intervals of the average after adoption under violations of parallel
    trends up to M times the largest before adoption (Rambachan-Roth)."""
    if intervals is None or intervals.empty:
        return
    report.table(
        intervals[["outcome", "Mbar", "lb", "ub"]],
        "robust-intervals",
        "Average change after adoption: robust 95 % intervals by M",
    )
    fig = plots.forest(
        intervals.assign(estimate=(intervals["lb"] + intervals["ub"]) / 2)
        .rename(columns={"lb": "ci_low", "ub": "ci_high"})
        .assign(M=lambda t: "M = " + t["Mbar"].map("{:g}".format)),
        label="M",
    )
    plots.headline(fig, "How the interval widens as parallel trends may fail by more")
    plots.caption(
        fig,
        "Rambachan and Roth (2023), relative magnitudes: the trends after adoption may "
        "depart from parallel by up to M times the largest departure before adoption. "
        "M = 0 is exact parallel trends.",
        150,
    )
    report.figure(fig, "robust-intervals")


# The local lists (strict readings) whose places a state law's cleaner controls leave out.
LOCAL_LISTS = ("ice2014", "dhs2025", "doj2025")
CLEANER = "controls without locally listed places"


def parallel_trends(
    unit: str, controls: str = "never", states=None, not_yet: bool = False,
    definition: str | None = None,
) -> dict[str, dict]:  # fmt: skip
    """The event study's variants a page sets side by side: unconditional parallel
    trends, within urban-rural classes, conditional on covariates by year (the 2017
    report's and the demographic set for counties, the city set for cities); for a page
    on some states, the same with every state's focal units; and for a list of state
    laws (`definition`), the controls without the places a local list marks."""
    # The unit's own covariate sets, the first two at most (counties: the 2017 report's and
    # the demographic set; cities: the city set).
    sets = lookup_unit(unit).covariate_sets[:2]
    names = {"cap": "2017 report's"}
    variants = {"unconditional": {}}
    # The two-stage estimator's variance cannot take class-by-year effects.
    if controls != "not_yet":
        variants["within urban-rural classes"] = {"within": "nchs"}
    for name in sets:
        variants[f"{names.get(name, name)} covariates x year"] = {"covariates": name}
    if not_yet and controls == "never":
        # Places adopting later are controls until they adopt (Gardner's two-stage estimator).
        variants["not-yet-adopting controls"] = {"controls": "not_yet"}
    if states:
        variants["every state, unconditional"] = {"states": None}
    if definition is not None and state_rows_only(definition):
        # A state law's controls may hold places with a policy of their own (New York,
        # Boston, Baltimore among SB 54's): the same without the places local lists mark.
        variants[CLEANER] = {"without": LOCAL_LISTS}
    return variants


def conditioning(report, definition: str, outcomes: list[str], variants: dict, **options):
    """The event study's average after adoption under several parallel-trends assumptions
    (or focal groups), a finding per outcome, a figure and a table."""
    if not outcomes:
        return None
    checks = event_variants(definition, outcomes, variants, **options)
    for sentence in findings.across_specifications(checks):
        report.finding(f"{_named(definition, checks)}: {sentence}.")
    if CLEANER in set(checks["specification"]):
        for sentence in findings.cleaner_controls(checks, "unconditional", CLEANER):
            report.finding(f"{_named(definition, checks)}: {sentence}.")
    fig = plots.forest(checks, label="specification", width=4.2)
    plots.headline(fig, "The average change after adoption, specification by specification")
    plots.caption(fig, "Average over the years from adoption on; 95 % intervals.", width=150)
    report.figure(fig, "event-study-conditioning")
    shown = ["outcome", "specification", "pretrend_p_value", "estimate", "ci_low", "ci_high"]
    shown += ["placebo_p"] if checks.get("placebo_p", pd.Series()).notna().any() else []
    report.table(checks[shown], "event-study-conditioning", "Average change, by specification")
    return checks


def crime_did(report, definition: str, pre, post, reference: int, panel, **options):
    """The crime difference-in-differences, beside the same with one compilation (the
    ICPSR years) only, with the years an absent optional source leaves out said."""
    outcomes = ["total_crime_per_10k", "violent_per_10k", "property_per_10k"]
    absent = sorted({y for o in outcomes for y in availability.absent_years(panel, o, pre + post)})
    pre, post = [y for y in pre if y not in absent], [y for y in post if y not in absent]
    report.unavailable(
        absent and availability.notice(absent, "Left out of the before-and-after comparison")
    )
    if not (pre and post):
        report.finding(
            f"{labels.definition(definition)}: the crime difference-in-differences needs "
            f"crime both before and after 2014; this build has no crime for "
            f"{availability.listed([str(y) for y in absent])} (the ICPSR years)."
        )
        return None, None
    reference = reference if reference in pre else max(pre)
    run = dict(pre=pre, reference=reference, panel=panel, **options)
    did, gaps = cmp.compare(definition, "did", None, outcomes, post=post, details=True, **run)
    variants = [did.assign(years_after=did["years_after"] + " (mixed compilations)")]
    icpsr = [y for y in post if y in UCR_FILES]
    if icpsr and icpsr != post:
        variants.append(cmp.compare(definition, "did", None, outcomes, post=icpsr, **run))
    table = pd.concat(variants, ignore_index=True)
    shown = ["outcome", "years_before", "years_after", "estimate", "ci_low", "ci_high"]
    shown += ["p_value", "n_focal", "n_comparison", "pretrend_p_value"]
    report.table(table[shown], "did", "Difference-in-differences in crime")
    for part in variants:
        report.finding(findings.did(part.iloc[0]))
    fig = plots.yearly(gaps, "gap", after=min(post), ylabel="gap minus reference-year gap")
    pre_p = did.iloc[0]["pretrend_p_value"]
    plots.headline(
        fig,
        f"Crime: before the policies the groups moved {'together' if pre_p > 0.1 else 'apart'} "
        f"(pre-trend p = {pre_p:.2f}); shaded: after",
    )
    plots.caption(
        fig,
        f"Crime: FBI UCR via ICPSR and the Urban Institute (2015). Counties with every "
        f"year's value; reference year {reference}; 95 % intervals.",
        width=150,
    )
    report.figure(fig, "pretrend")
    return table, fig


def published_did(report) -> pd.DataFrame:
    """The published difference-in-differences studies (data/reference), as a table."""
    studies = published_findings().query("estimand == 'difference-in-differences'")
    shown = ["study", "definition", "year", "outcome", "estimate", "unit", "n_sanctuary"]
    shown += ["source_note"]
    report.table(studies[shown], "published-did", "Published difference-in-differences studies")
    return studies


def event_variants(
    definition: str, outcomes: list[str], variants: dict[str, dict], **options
) -> pd.DataFrame:
    """The event study's pre-trend test and average after adoption (`findings.event_summary`)
    under several specifications, e.g. {"within classes": {"within": "nchs"}}: one row
    per specification and outcome, named in `specification`. A variant's choices
    override `options` (e.g. {"every state": {"states": None}})."""
    tables = []
    for name, choices in variants.items():
        table = cmp.compare(definition, "event", None, outcomes, **{**options, **choices})
        tables.append(findings.event_summary(table).assign(specification=name))
    return pd.concat(tables, ignore_index=True)
