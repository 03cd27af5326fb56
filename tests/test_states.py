"""The state unit: the FBI state estimates' reader on a hand-made sample in the file's
own layout, and the synthetic control on a hand-made panel whose answer is known."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.compare.synth import fit_synthetic_control, placebo_fits
from analysis.core.errors import SourceFormatError
from analysis.readers import fbi_states
from analysis.sources.buildlog import FileAccount

SAMPLE = Path(__file__).parent / "fixtures" / "samples" / "estimated_crimes_sample.csv"


def read(path: Path = SAMPLE) -> tuple[pd.DataFrame, FileAccount]:
    account = FileAccount("fbi-state-estimates", str(path), "")
    return fbi_states.read(path, account), account


def test_the_reader_sets_aside_national_rows_and_recodes_north_dakota():
    frame, account = read()
    assert len(frame) == 6 and account.rows_read == 8
    national = [d for d in account.dropped if d["reason"].startswith("national")]
    assert national and national[0]["count"] == 2
    rows = frame.set_index(["state", "year"])
    # 2022: quoted numbers with thousands separators, a name led by spaces, NC for ND.
    assert rows.loc[("ND", 2022), "population"] == 779_261
    assert rows.loc[("NC", 2022), "violent_crimes"] == 43_000
    assert account.recoded and account.recoded[0]["to"] == "ND"
    assert rows.loc[("KS", 1996), "caveat"].startswith("The state UCR Program")
    assert pd.isna(rows.loc[("AK", 1979), "caveat"])


def test_a_row_twice_or_an_unknown_state_stops_naming_it(tmp_path):
    text = SAMPLE.read_text()
    twice = tmp_path / "twice.csv"
    twice.write_text(text.replace("1996,KS,Kansas", "1979,AK,Alaska"))
    with pytest.raises(SourceFormatError, match="AK 1979"):
        read(twice)
    unknown = tmp_path / "unknown.csv"
    unknown.write_text(text.replace("1996,KS,Kansas", "1996,XX,Kansas"))
    with pytest.raises(SourceFormatError, match="XX"):
        read(unknown)


def toy_table(effect: float = 5.0) -> pd.DataFrame:
    """Six states, 2000-2011: T is half A and half B before 2008, then `effect` above."""
    years = list(range(2000, 2012))
    rng = np.random.default_rng(1)
    donors = {s: 10 + 3 * i + rng.normal(0, 1, len(years)).cumsum() for i, s in enumerate("ABCDE")}
    table = pd.DataFrame(donors, index=years).T
    table.loc["T"] = 0.5 * table.loc["A"] + 0.5 * table.loc["B"]
    table.loc["T", [y for y in years if y >= 2008]] += effect
    return table


def test_the_synthetic_control_recovers_a_known_gap():
    table = toy_table(effect=5.0)
    fit = fit_synthetic_control(table, "T", tuple("ABCDE"), 2008)
    assert fit.estimate([2008, 2009, 2010, 2011]) == pytest.approx(5.0, abs=1e-6)
    assert fit.pre_rmspe == pytest.approx(0.0, abs=1e-6)
    assert fit.weights["A"] == pytest.approx(0.5, abs=1e-6)
    assert fit.weights["B"] == pytest.approx(0.5, abs=1e-6)


def test_the_placebo_p_value_ranks_the_treated_state_among_every_state():
    table = toy_table(effect=5.0)
    donors = tuple("ABCDE")
    real = fit_synthetic_control(table, "T", donors, 2008)
    placebos = placebo_fits(table, donors, 2008, None)
    assert set(placebos) == set(donors)  # each donor treated in turn
    assert all("T" not in fit.weights for fit in placebos.values())  # among the others only
    ratios = [p.ratio for p in placebos.values()]
    p = (1 + sum(r >= real.ratio for r in ratios)) / (1 + len(ratios))
    assert p == pytest.approx(1 / 6)  # the treated state's gap is the largest of the six


def test_a_placebo_fit_is_the_package_fit_without_its_checks():
    # Placebos take the package's solve directly (20 times faster); they must not differ.
    table = toy_table(effect=5.0)
    states = tuple("ABCDET")
    fast = placebo_fits(table, states, 2008, None)  # each state against the other five
    for treated in states:
        full = fit_synthetic_control(table, treated, tuple(s for s in states if s != treated), 2008)
        assert fast[treated].weights.keys() == full.weights.keys()
        assert np.allclose(fast[treated].gaps, full.gaps, atol=1e-12)
        assert fast[treated].ratio == pytest.approx(full.ratio, rel=1e-12)
