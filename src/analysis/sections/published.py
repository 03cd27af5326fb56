"""The sections set beside the published figures of the 2017 CAP report
(notebooks/07_overview, 03_cap_replication)."""

from __future__ import annotations

import pandas as pd

from .. import compare as cmp
from ..jurisdictions import list_definitions
from ..panels.units import DEFAULT_UNIT, STATE
from ..publish import findings, labels, plots
from ..publish.replication import cap_published


def glance(report, table: pd.DataFrame, outcomes: list[str], year: int):
    """The index's opening: every definition's matched estimate, by unit and year, beside
    the published figures."""
    published = cap_published(outcomes)
    cap_counties = int(published["published_n_sanctuary"].iloc[0])
    published = published.assign(label=f"Published in 2017 (CAP, {cap_counties} counties)")
    shown = pd.concat([table, published], ignore_index=True)
    fig = plots.forest(shown, label="label", published="published_estimate")
    crime = table[(table["outcome"] == outcomes[0]) & (table["year"] == year)]
    crime = crime[crime["unit"] == DEFAULT_UNIT.name]  # the figure's headline: counties
    laws = table[(table["outcome"] == outcomes[0]) & (table["unit"] == STATE.name)]
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
        f"Progress, for its own {cap_counties} counties (list not public). Later years: the "
        "2025 lists against their own time; cities: the FBI's city table; state laws: each "
        "state against the never-listed states (synthetic DiD, FBI state estimates, "
        "2000-2019, placebo intervals).",
        150,
    )
    report.figure(fig, "at-a-glance", lead=True)
    columns = ["label", "definition", "unit", "year", "outcome", "estimate", "ci_low"]
    columns += ["ci_high", "published_estimate", "n_focal", "n_comparison"]
    columns += ["rosenbaum_gamma", "e_value", "e_value_ci"]
    report.table(
        shown[columns],
        "at-a-glance",
        "Matched estimates by definition, unit and year",
        csv_only=["definition", "rosenbaum_gamma", "e_value", "e_value_ci"],  # notes say them
    )
    for row in table[table["rosenbaum_gamma"] > 1].to_dict("records"):  # the others: not clear
        report.note(f"{row['label']}. {findings.sensitivity(row)}.")
    published_crime = published["published_estimate"].iloc[0]
    report.finding(
        f"Matched as the 2017 report did, {labels.short(outcomes[0]).lower()} in {year} is "
        f"clearly higher in sanctuary counties under {sides.get('higher', 0)} of the "
        f"{len(crime)} public definitions and clearly lower under {sides.get('lower', 0)}; "
        f"the report published {labels.signed(published_crime)}."
    )
    if len(laws):
        clear = int(((laws["ci_low"] > 0) | (laws["ci_high"] < 0)).sum())
        report.finding(
            f"Judged as states, {clear} of the {len(laws)} state laws changed "
            f"{labels.short(outcomes[0]).lower()} clearly (synthetic DiD, 95 % placebo "
            "interval); the state-laws report judges each against every placebo state."
        )
    return shown, fig


def cap_replication(report, table: pd.DataFrame, definition: str, year: int):
    """The 2017 CAP report's figures beside this project's: what the report found, the
    crime figure against ours in words, the table and the figure."""
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
    report.figure(fig, "published-and-project", lead=True)
    return fig


def at_a_glance(
    definitions: list[str],
    outcomes: list[str],
    year: int,
    *,
    covariates: str = "cap",
    recent: dict[str, int] | None = None,
    cities: dict[str, int] | None = None,
    state_laws: str | None = None,
    panels: dict | None = None,
) -> pd.DataFrame:
    """Each definition's matched estimate, as the 2017 CAP report matched, in one table
    with a reader's `label` per row: the counties in `year`; for the definitions in
    `recent` ({definition: year}) the economic outcomes in that later year too (the 2025
    lists against their own time); for those in `cities` ({definition: year}) the
    cities' crime in that year; and for `state_laws` (a definition whose rows are states)
    each law's synthetic DiD of crime, its state against the never-listed states
    (2000-2019; the year is the law's)."""
    panels = panels or {}

    def run(definition, when, names, unit, cov):
        table = cmp.compare(
            definition, "match", when, names, covariates=cov, unit=unit,
            panel=panels.get(unit),
        )  # fmt: skip
        return table.assign(label=f"{labels.definition(definition)}: {labels.units(unit)}, {when}")

    tables = [run(d, year, outcomes, "county", covariates) for d in definitions]
    for definition, when in (recent or {}).items():
        later = [
            o for o in outcomes if o not in cmp.CRIME_OUTCOMES and when in cmp.outcome_years(o)
        ]
        if later:
            tables.append(run(definition, when, later, "county", covariates))
    for definition, when in (cities or {}).items():
        crime = [o for o in outcomes if o in cmp.CRIME_OUTCOMES]
        if crime:
            tables.append(run(definition, when, crime, "city", None))
    crime = [o for o in outcomes if o in STATE.outcomes]
    if state_laws and crime:
        laws = cmp.compare(state_laws, "sdid", None, crime, unit=STATE, panel=panels.get("state"))
        laws = laws.dropna(subset=["adoption_year"])  # each law, not their average
        tables.append(
            laws.assign(
                year=laws["adoption_year"].astype(int),
                label=[
                    f"State law, {s} ({int(y)}): synthetic DiD"
                    for s, y in zip(laws["treated_state"], laws["adoption_year"])
                ],
            )
        )
    return pd.concat(tables, ignore_index=True)
