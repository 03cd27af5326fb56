"""What a report page shows, section by section.

Each function computes its estimates, draws its figure, and publishes its table, figure
and finding through the page's `Report` (which, in JupyterLab, only displays them); it
returns what it computed, so a researcher can keep working with it. Notebooks are then
their parameters, one call per section and the prose that explains it, and the
branching for absent years, the variant tables and the findings' wording live here,
tested with the rest of the library.
"""

from __future__ import annotations

import pandas as pd

from . import availability, findings, labels, plots
from . import compare as cmp

# The columns a reader's table of matched estimates shows beside the sensitivity values.
SENSITIVITY_COLUMNS = ["outcome", "estimate", "ci_low", "ci_high", "p_value"]
SENSITIVITY_COLUMNS += ["rosenbaum_gamma", "e_value", "e_value_ci"]


def studied_outcomes(report, panel, outcomes: list[str], years, unit: str = "county") -> list[str]:
    """Of `outcomes`, those the unit's panel has in every one of `years` a source gives
    them in; the page says which are left out, and why (an optional source's crime
    years: where to get them)."""
    outcomes = cmp.for_unit(outcomes, unit)
    missing = {
        o: availability.absent_years(panel, o, set(years) & set(cmp.outcome_years(o, unit)))
        for o in outcomes
    }
    gone = sorted({y for years_gone in missing.values() for y in years_gone})
    report.unavailable(availability.left_out(panel, [o for o in outcomes if missing[o]], gone))
    return [o for o in outcomes if not missing[o]]


def about(report, unit: str, definitions: list[str]) -> None:
    """What a reader must know of the unit's data (the FBI's city table) and, for
    cities, which reading of each definition the page uses."""
    from .units import unit as lookup_unit

    found = lookup_unit(unit)
    if not found.about:
        return
    from .jurisdictions import list_definitions

    readings = list_definitions()["city_reading"]
    said = "; ".join(
        f"{labels.definition(d)}: {_reading(readings.get(d, 'strict'))}" for d in definitions
    )
    report.note(f"{found.about} Reading used here: {said}.")


def _reading(reading: str) -> str:
    if reading == "broad":
        return "broad (the cities listed, and every city inside a listed county or state)"
    return "strict (the cities listed, and the city of a listed consolidated city-county)"


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
    plots.caption(fig, caption + " Points: focal minus comparison; lines: 95 % intervals.", 150)
    report.figure(fig, "estimates")
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
    report.unavailable(
        availability.left_out(choice["panel"], gone, years[-1:], "Not in the later year")
    )
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


def next_door(report, definition: str, year: int, outcomes: list[str], comparison: str, panel):
    """Neighbouring counties across the line: the pairs on a map, each outcome's mean
    within-pair difference, and the first outcome's in words."""
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


def glance(report, table: pd.DataFrame, outcomes: list[str], year: int):
    """The index's opening: every definition's matched estimate, by unit and year, beside
    the published figures."""
    from .replication import cap_published

    published = cap_published(outcomes).assign(label="Published in 2017 (CAP, 608 counties)")
    shown = pd.concat([table, published], ignore_index=True)
    fig = plots.forest(shown, label="label", published="published_estimate")
    crime = table[(table["outcome"] == outcomes[0]) & (table["year"] == year)]
    crime = crime[crime["unit"] == "county"]
    sides = crime.apply(labels.direction, axis=1).value_counts()
    plots.headline(
        fig,
        f"{labels.short(outcomes[0])}, {year}: clearly higher under {sides.get('higher', 0)}, "
        f"clearly lower under {sides.get('lower', 0)} of {len(crime)} public definitions",
    )
    plots.caption(
        fig,
        "Nearest-neighbour matching (counties: log population, foreign-born and Hispanic "
        "shares; cities: size, region and their county's make-up). Points: this project, "
        "with 95 % intervals; squares: published in Wong (2017), Center for American "
        "Progress, for its own 608 counties (list not public). Later years: the 2025 lists "
        "against their own time; cities: the FBI's city table.",
        150,
    )
    report.figure(fig, "at-a-glance")
    columns = ["label", "definition", "unit", "year", "outcome", "estimate", "ci_low"]
    columns += ["ci_high", "published_estimate", "n_focal", "n_comparison"]
    report.table(shown[columns], "at-a-glance", "Matched estimates by definition, unit and year")
    published_crime = published["published_estimate"].iloc[0]
    report.finding(
        f"Matched as the 2017 report did, {labels.short(outcomes[0]).lower()} in {year} is "
        f"clearly higher in sanctuary counties under {sides.get('higher', 0)} of the "
        f"{len(crime)} public definitions and clearly lower under {sides.get('lower', 0)}; "
        f"the report published {labels.signed(published_crime)}."
    )
    return shown, fig


def event_study(report, events: pd.DataFrame, definition: str, caption: str, sentences: bool):
    """The event study's summary (a finding per outcome), its figure by year since
    adoption (None when no year could be estimated), and its table."""
    summary = findings.event_summary(events)
    if sentences:
        for sentence in summary["verdict"]:
            report.finding(f"{_named(definition, events)}: {sentence}.")
    shown = ["outcome", "level_gap_at_reference", "gaps_before", "pretrend_p_value"]
    shown += ["estimate", "ci_low", "ci_high", "breakdown_mbar", "n_focal", "n_comparison"]
    report.table(
        summary[[c for c in shown if c in summary]],
        "event-summary",
        "Before adoption and after: the gap, the pre-trend test and the average change",
    )
    fig = None
    if events["relative_year"].notna().any():
        fig = plots.event_study(events)
        first = events.iloc[0]
        plots.headline(
            fig,
            f"{labels.definition(definition)}: by year since adoption, "
            f"{first['focal_group']} minus {first['comparison']}",
        )
        plots.caption(fig, caption, width=150)
        report.figure(fig, "event-study")
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


def parallel_trends(unit: str, controls: str = "never", states=None) -> dict[str, dict]:
    """The event study's variants a page sets side by side: unconditional parallel
    trends, within urban-rural classes, conditional on covariates by year (the 2017
    report's and the demographic set for counties, the city set for cities) and, for a
    page on some states, the same with every state's focal units."""
    sets = {"county": ["cap", "demographic"], "city": ["city"]}[unit]
    names = {"cap": "2017 report's", "demographic": "demographic", "city": "city"}
    variants = {"unconditional": {}}
    # The two-stage estimator's variance cannot take class-by-year effects.
    if controls != "not_yet":
        variants["within urban-rural classes"] = {"within": "nchs"}
    for name in sets:
        variants[f"{names[name]} covariates x year"] = {"covariates": name}
    if states:
        variants["every state, unconditional"] = {"states": None}
    return variants


def conditioning(report, definition: str, outcomes: list[str], variants: dict, **options):
    """The event study's average after adoption under several parallel-trends assumptions
    (or focal groups), a finding per outcome, a figure and a table."""
    checks = cmp.event_variants(definition, outcomes, variants, **options)
    for sentence in findings.across_specifications(checks):
        report.finding(f"{_named(definition, checks)}: {sentence}.")
    fig = plots.forest(checks, label="specification", width=4.2)
    plots.headline(fig, "The average change after adoption, specification by specification")
    plots.caption(fig, "Average over the years from adoption on; 95 % intervals.", width=150)
    report.figure(fig, "event-study-conditioning")
    shown = ["outcome", "specification", "pretrend_p_value", "estimate", "ci_low", "ci_high"]
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
    icpsr = [y for y in post if y != 2015]
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
    report.figure(fig, "counties-per-definition")
    return fig


def overlap(report, definitions: list[str]):
    """Counties marked by both of each pair of definitions (table, heatmap), and how
    few of the 2014 table's counties the 2025 DHS list names."""
    from .jurisdictions import overlap as shared_counties

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
    from .jurisdictions import city_summary
    from .panel import load_panel

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
    from .paths import list_file

    laws = pd.read_csv(list_file("state_laws.csv"), dtype=str)
    report.table(
        laws[["jurisdiction", "state", "enacted", "note", "source"]],
        "state-laws",
        "State laws limiting cooperation with immigration detainers, as dated here",
    )
    return laws


def cap_replication(report, table: pd.DataFrame, definition: str, year: int):
    """The 2017 CAP report's figures beside this project's: what the report found, the
    crime figure against ours in words, the table and the figure."""
    from .jurisdictions import list_definitions

    published = table.set_index(["outcome", "stratum"])["published_estimate"]
    cap_counties = int(table["published_n_sanctuary"].dropna().iloc[0])
    report.note(
        f"The report found {abs(published['total_crime_per_10k', 'all counties']):.1f} fewer "
        f"crimes per 10,000 residents, {abs(published['poverty_pct', 'all counties']):.1f} "
        f"points less poverty and {abs(published['unemployment_pct', 'all counties']):.1f} "
        f"points less unemployment in its {cap_counties} sanctuary counties than in matched "
        "counties."
    )
    all_counties = table[table["stratum"] == "all counties"]
    crime = all_counties[all_counties["outcome"] == "total_crime_per_10k"].iloc[0]
    report.finding(
        f"CAP reported {crime['published_estimate']:+.1f} crimes per 10,000 in sanctuary "
        f"counties; with the public {labels.definition(definition)} and the same matching "
        f"this project finds {labels.interval(crime.rename({'project_estimate': 'estimate'}))}."
    )
    report.table(
        table,
        "replication",
        "CAP 2017 figures beside this project's estimates",
        csv_only=["note", "definition", "year", "method", "p_value"],
    )
    measured = table.dropna(subset=["project_estimate"])
    shown = measured.assign(estimate=measured["project_estimate"], label=measured["stratum"])
    fig = plots.forest(shown, label="label", published="published_estimate")
    inside = shown["ci_low"].le(shown["published_estimate"]) & shown["ci_high"].ge(
        shown["published_estimate"]
    )
    plots.headline(
        fig,
        f"The project's intervals contain the published figure for {inside.sum()} of {len(shown)}",
    )
    plots.caption(
        fig,
        f"Sanctuary minus matched comparison counties, {year}. Points: this project, with "
        f"95 % intervals; squares: published in Wong 2017 (CAP), {cap_counties} counties "
        "from ICE data obtained by the ILRC (list not public). Project: "
        f"{list_definitions().loc[definition, 'title']}; nearest-neighbour matching on log "
        "population, foreign-born and Hispanic shares.",
        width=150,
    )
    report.figure(fig, "published-and-project")
    return fig


def agreement(report, curve: pd.DataFrame) -> pd.DataFrame:
    """The share of specifications by sign, per unit and outcome, and the first in words."""
    from .compare.curve import sign_agreement

    shares = sign_agreement(curve)
    caption = "Share of specifications by sign"
    report.table(shares, "sign-agreement", caption, float_format="{:,.1f}")
    for row in shares.to_dict("records"):
        where = labels.units(row.get("unit", curve["unit"].iloc[0]))
        report.finding(
            f"Across {int(row['specifications']):,} specifications, "
            f"{labels.short(row['outcome']).lower()} comes out lower in sanctuary {where} in "
            f"{row['share_lower_pct']:.0f} % and higher in {row['share_higher_pct']:.0f} % "
            f"(clearly lower in {row['share_clearly_lower_pct']:.0f} %, clearly higher in "
            f"{row['share_clearly_higher_pct']:.0f} %)."
        )
    return shares


def curves(report, curve: pd.DataFrame, shares: pd.DataFrame) -> list:
    """One specification curve per unit and outcome, with the choices beneath; returns
    the figures."""
    figs = []
    keys = [k for k in ("unit", "outcome") if k in shares.columns]
    for key, summary in shares.set_index(keys).iterrows():
        unit, outcome = key if len(keys) == 2 else (curve["unit"].iloc[0], key)
        rows = curve[(curve["unit"] == unit) & (curve["outcome"] == outcome)]
        coverage = rows["min_coverage"].map(lambda c: "every county" if c != c else f">= {c:g} %")
        rows = rows.fillna({"covariates": "none"}).replace({"covariates": {"": "none"}})
        rows = rows.assign(coverage=coverage, definition=rows["definition"].map(labels.definition))
        choices = ["definition", "year", "comparison", "method", "covariates"]
        choices += ["coverage"] if rows["min_coverage"].notna().any() else []
        fig, top = plots.specification_curve(rows, choices, labels.unit(outcome))
        lean = "lower" if summary["share_lower_pct"] > 50 else "higher"
        plots.title(
            top,
            f"{labels.short(outcome)}, {labels.units(unit)}: "
            f"{max(summary['share_lower_pct'], summary['share_higher_pct']):.0f} % of "
            f"{int(summary['specifications']):,} specifications put sanctuary "
            f"{labels.units(unit)} {lean}",
        )
        plots.caption(
            fig,
            "Definitions from data/definitions.toml; comparison 'all others' or the 287(g) "
            "list nearest in date; method 'border': neighbouring counties only.",
            width=150,
        )
        name = outcome.replace("_", "-")
        report.figure(fig, f"curve-{name}" if unit == "county" else f"curve-{unit}-{name}")
        figs.append(fig)
    return figs


def specifications(report, curve: pd.DataFrame) -> None:
    """Every specification, by unit, outcome and estimate (the CSV has them all)."""
    columns = ["unit", "definition", "comparison", "year", "outcome", "method", "weights"]
    columns += ["covariates", "min_coverage", *cmp.SUMMARY_COLUMNS[3:]]
    report.table(
        curve[columns].sort_values(["unit", "outcome", "estimate"]),
        "specifications",
        "Every specification, by unit, outcome and estimate",
        max_rows=30,
        csv_only=["note", "weights", "p_value", "n_comparison"],
    )


def definition_map(report, definition: str, status: pd.Series):
    """The definition's counties on a map, with the cities it marks (in its city
    reading) as points, and where they are in words."""
    import matplotlib.pyplot as plt

    from .jurisdictions import list_definitions, load_definition
    from .panel import load_panel

    about = list_definitions().loc[definition]
    focal = status.index[status == about["status"]]
    cities = load_definition(definition, unit="city")
    marked = cities.index[cities == about["status"]]
    places = load_panel(unit="city").drop_duplicates("place").set_index("place")
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
    report.figure(fig, "definition")
    states = status.loc[focal].index.str[:2].value_counts()
    report.finding(
        f"{labels.definition(definition)}: the {len(focal):,} {about['status']} counties lie in "
        f"{len(states)} states; the five with the most hold "
        f"{100 * states.head(5).sum() / len(focal):.0f} % of them; the definition marks "
        f"{len(marked):,} cities ({about['city_reading']} reading)."
    )
    return fig
