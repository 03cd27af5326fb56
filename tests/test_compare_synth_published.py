"""The state-level estimators against their published worked example: California's
Proposition 99 (1989) and per-capita cigarette sales, 39 states, 1970-2000, as shipped
with the synthdid R package (source `synthdid-prop99` in data/sources.toml).

Published figures, Arkhangelsky, Athey, Hirshberg, Imbens and Wager (2021), "Synthetic
Difference-in-Differences", American Economic Review 111(12), Table 1:
    synthetic DiD -15.6 (s.e. 8.4), synthetic control -19.6 (9.9), DiD -27.3 (17.7);
the synthdid README prints -15.60 with the placebo 95 % interval (-32.01, 0.80).

Tolerances, and why:
- SDID: the point estimate to 0.05 (the published one decimal). Its placebo standard
  error depends on the draws: with one treated state each draw is one of the 38 controls,
  and the paper's 200 random draws give 8.0 to 10.9 over seeds. The project draws every
  control once (the exact placebo variance), 9.37 here. The test asks for 8.4 within
  2.0, and for the exact value where no draw is random.
- SC: the paper's synthetic control stops its Frank-Wolfe solver early (-19.62); the
  exact simplex least squares (diff-diff's, and ours) gives -19.51. Tolerance 0.15.
- DiD: the project's own difference-in-differences (unit and year effects) to 0.05.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import sources
from analysis.compare.did import _fit
from analysis.compare.synth import fit_sdid, fit_synthetic_control

pytestmark = pytest.mark.integration

ADOPTION = 1989


@pytest.fixture(scope="module")
def prop99() -> pd.DataFrame:
    """States by years, packs per capita."""
    path = sources.verified_path("synthdid-prop99")
    frame = pd.read_csv(path, sep=";")
    return frame.pivot(index="State", columns="Year", values="PacksPerCapita")


def test_synthetic_control_matches_the_published_estimate(prop99):
    donors = tuple(s for s in prop99.index if s != "California")
    fit = fit_synthetic_control(prop99, "California", donors, ADOPTION)
    post = [y for y in prop99.columns if y >= ADOPTION]
    # Residual (ours - published): -19.51 - (-19.6) = +0.09.
    assert fit.estimate(post) == pytest.approx(-19.6, abs=0.15)
    # The exact optimum's weights (diff-diff, scpi and an NNLS check agree).
    weights = pd.Series(fit.weights)
    assert weights.sum() == pytest.approx(1.0) and (weights >= 0).all()
    assert weights.idxmax() == "Utah" and weights["Utah"] == pytest.approx(0.394, abs=0.005)
    assert fit.pre_rmspe == pytest.approx(1.656, abs=0.01)


def test_synthetic_did_matches_the_published_estimate_and_error(prop99):
    post = [y for y in prop99.columns if y >= ADOPTION]
    result = fit_sdid(prop99, ["California"], post)
    # Residuals: estimate -15.604 - (-15.6); standard error 9.37 - 8.4, within the noise of
    # the paper's 200 random draws.
    assert result.estimate == pytest.approx(-15.6, abs=0.05)
    assert result.std_error == pytest.approx(8.4, abs=2.0)
    assert result.n_placebos == 38


def test_difference_in_differences_matches_the_published_estimate(prop99):
    long = prop99.stack().rename("y").reset_index()
    long.columns = ["state", "year", "y"]
    codes, uniques = pd.factorize(long["state"])
    treated = (long["state"] == "California") & (long["year"] >= ADOPTION)
    years = tuple(sorted(long["year"].unique()))
    fit = _fit(
        long["y"].to_numpy(float), long["year"].to_numpy(np.int64), codes, len(uniques),
        treated.to_numpy(float)[:, None], years,
    )  # fmt: skip
    # Residual: -27.349 - (-27.3).
    assert fit.params[0] == pytest.approx(-27.3, abs=0.05)
