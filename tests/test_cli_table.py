"""The command line's text table: what a reader of a terminal sees of a result."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.cli.compare import render


def rows(**changes) -> pd.DataFrame:
    base = {
        "unit": "city", "definition": "state_laws", "focal_group": "sanctuary",
        "comparison": "all others", "year": None, "method": "event", "outcome": "y",
        "weights": "none", "estimand": "change", "covariates": "none", "se_method": "clustered",
        "estimate": 1.0, "ci_low": 0.5, "ci_high": 1.5, "p_value": 0.01, "placebo_p": np.nan,
        "note": "",
    }  # fmt: skip
    return pd.DataFrame([{**base, **row} for row in changes["rows"]])


def test_a_placebo_p_value_is_shown_and_an_outcomes_notes_are_one_line():
    table = rows(rows=[{"note": "kept 10 of 12; small left out"},
                       {"note": "kept 10 of 12; placebo states: 28; small left out",
                        "placebo_p": 0.724}])  # fmt: skip
    text = render(table, "table")
    assert "placebo_p" in text.splitlines()[0] and "0.724" in text
    notes = [line for line in text.splitlines() if line.startswith("note (")]
    assert notes == ["note (y): kept 10 of 12; small left out; placebo states: 28"]


def test_columns_a_method_does_not_give_are_left_out():
    # A synthetic control has no interval; an estimate without placebos shows no such column.
    table = rows(rows=[{"ci_low": np.nan, "ci_high": np.nan, "placebo_p": 0.9}])
    header = render(table, "table").splitlines()[0].split()
    assert "ci_low" not in header and "placebo_p" in header
    assert "placebo_p" not in render(rows(rows=[{}]), "table").splitlines()[0]
