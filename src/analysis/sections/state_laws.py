"""The sections of the state-laws page (notebooks/09_state_laws): every state law
judged as its state, against its synthetic control and every placebo state, with the
synthetic difference-in-differences beside it, and SB 54 beside the one published
state-level study of it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import compare as cmp
from ..panels.units import STATE
from ..publish import findings, labels, plots
from ..publish.findings import PLACEBO_LEVEL
from ..publish.replication import published_findings

KUBRIN_BARTOS = "Kubrin and Bartos 2020"


def estimate(definition: str, outcomes: list[str], years: list[int], states=None):
    """(synthetic controls, their gaps and weights, synthetic DiD per law): every treated
    state's synthetic control for each outcome, and each law's synthetic DiD."""
    choice = dict(unit=STATE, years=tuple(years), states=states or None)
    synth, details = cmp.compare(definition, "synth", None, outcomes, details=True, **choice)
    sdid = cmp.compare(definition, "sdid", None, outcomes, **choice)
    return synth, details, sdid[sdid["adoption_year"].notna()]  # each law, not their average


def laws_table(report, synth: pd.DataFrame, sdid: pd.DataFrame) -> pd.DataFrame:
    """One row per law and outcome: the synthetic control's gap, its fit, its placebo
    p-value and checks, and the synthetic DiD with its standard error."""
    keys = ["treated_state", "outcome"]
    beside = sdid[keys + ["estimate", "std_error", "placebo_p"]].rename(
        columns={"estimate": "sdid_estimate", "std_error": "sdid_std_error",
                 "placebo_p": "sdid_placebo_p"}
    )  # fmt: skip
    table = synth.merge(beside, on=keys, how="left")
    shown = [
        "treated_state", "adoption_year", "outcome", "estimate", "pre_rmspe", "rmspe_ratio",
        "placebo_p", "sdid_estimate", "sdid_std_error", "n_donors", "in_time_gap", "loo_low",
        "loo_high",
    ]  # fmt: skip
    table = table[[c for c in shown if c in table.columns] + ["note"]]
    report.table(
        table,
        "state-laws",
        "Each law, each outcome: the gap from the synthetic state after the law, the fit "
        "before it, the placebo-state p-value, the synthetic DiD, and the checks",
        max_rows=80,
    )
    return table


def weights_table(report, synth: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Which donor states each synthetic state is made of, for one outcome."""
    rows = synth[synth["outcome"] == outcome][["treated_state", "donor_weights", "pre_rmspe"]]
    report.table(
        rows,
        "donor-weights",
        f"The synthetic states of {labels.short(outcome).lower()}: their donors and weights",
    )
    return rows


def gap_figures(report, details: pd.DataFrame, synth: pd.DataFrame, outcomes: list[str],
                caption: str) -> list:  # fmt: skip
    """For each outcome: each state against its synthetic self, and its gap with every
    placebo state's gap behind it."""
    figs = []
    for outcome in outcomes:
        name = outcome.replace("_", "-")
        rows = synth[(synth["outcome"] == outcome)].dropna(subset=["placebo_p"])
        clear = int((rows["placebo_p"] <= PLACEBO_LEVEL).sum())
        fig = plots.synthetic_gaps(details, outcome)
        plots.headline(
            fig,
            f"{labels.short(outcome)}: {clear} of {len(rows)} state laws leave a gap larger than "
            f"most placebo states' (placebo p <= {PLACEBO_LEVEL:g})",
        )
        plots.caption(fig, f"Gap: the state minus its synthetic self, in {labels.unit(outcome)}. "
                      + caption, width=150)  # fmt: skip
        report.figure(fig, f"gaps-{name}", lead=True)
        paths = plots.synthetic_paths(details, outcome)
        plots.headline(paths, f"{labels.short(outcome)}: each state and its synthetic self")
        plots.caption(paths, f"In {labels.unit(outcome)}. " + caption, width=150)
        report.figure(paths, f"paths-{name}")
        figs += [fig, paths]
    return figs


def findings_per_law(report, synth: pd.DataFrame, sdid: pd.DataFrame, outcome: str) -> None:
    """For the lead outcome: how many laws moved their state more than the placebo states
    moved (the page's answer), one short sentence per law, and the numbers beside them."""
    keys = ["treated_state", "outcome"]
    both = synth[synth["outcome"] == outcome].merge(
        sdid[keys + ["estimate", "ci_low", "ci_high"]].rename(
            columns={"estimate": "sdid", "ci_low": "sdid_low", "ci_high": "sdid_high"}
        ),
        on=keys,
        how="left",
    )
    both = both.dropna(subset=["estimate"])
    report.finding(findings.laws_against_placebos(both))
    for row in both.itertuples():
        report.finding(findings.synthetic_control(row._asdict()))
    shown = ["treated_state", "adoption_year", "outcome", "estimate", "placebo_p"]
    report.table(
        both[[*shown, "sdid", "sdid_low", "sdid_high"]],
        "each-law",
        f"{labels.short(outcome)}: the gap from the synthetic state after each law, its "
        "placebo p-value, and the synthetic DiD with its 95 % interval",
    )


def kubrin_bartos(report, synth: pd.DataFrame, sdid: pd.DataFrame) -> pd.DataFrame:
    """SB 54 beside Kubrin and Bartos (2020), who built a state-level synthetic California:
    their conclusion as published, and this project's gaps and placebo p-values."""
    published = published_findings()
    published = published[published["study"].str.startswith(KUBRIN_BARTOS)]
    ca = synth[synth["treated_state"] == "CA"]
    if ca.empty or published.empty:
        return ca
    p = ca.dropna(subset=["placebo_p"])
    ordinary = int((p["placebo_p"] > PLACEBO_LEVEL).sum())
    report.finding(findings.beside_kubrin_bartos(ordinary, len(p)))
    table = ca[["outcome", "estimate", "pre_rmspe", "placebo_p"]].assign(
        study="this project", window=ca["window"]
    )
    note = published.iloc[0]
    table = pd.concat(
        [
            table,
            pd.DataFrame(
                [
                    {
                        "study": note["study"],
                        "outcome": note["outcome"],
                        "estimate": np.nan,
                        "window": "1970-2018",
                    }
                ]  # fmt: skip
            ),
        ],
        ignore_index=True,
    )
    report.table(table, "sb54-published", "SB 54: this project beside Kubrin and Bartos (2020)")
    return table
