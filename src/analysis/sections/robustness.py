"""The sections of the robustness page (notebooks/05_robustness): the share of
specifications by sign, the curves, and every specification."""

from __future__ import annotations

import pandas as pd

from .. import compare as cmp
from ..compare.curve import sign_agreement
from ..panels.units import DEFAULT_UNIT
from ..publish import labels, plots


def agreement(report, curve: pd.DataFrame) -> pd.DataFrame:
    """The share of specifications by sign, per unit and outcome, and the first in words."""
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
        report.figure(
            fig, f"curve-{name}" if unit == DEFAULT_UNIT.name else f"curve-{unit}-{name}", lead=True
        )
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
