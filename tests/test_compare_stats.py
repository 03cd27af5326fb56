"""The numpy formulas behind the estimators, against statsmodels and scipy
on small generated tables (statsmodels is imported only here, in the tests)."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.compare.adjust import ipw_effect
from analysis.compare.stats import EstimationError, interval, linear_fit, logit_fit, normal_p, t_p

sm = pytest.importorskip("statsmodels.api")


@pytest.fixture(scope="module")
def table():
    rng = np.random.default_rng(3)
    n = 80
    X = rng.normal(size=(n, 2))
    # Mild selection so every propensity stays inside statsmodels' [0.01, 0.99] clip.
    p = 1 / (1 + np.exp(-(0.2 + 0.6 * X[:, 0] - 0.4 * X[:, 1])))
    t = (rng.random(n) < p).astype(int)
    y = 1 + 2 * t + X @ np.array([1.0, -1.0]) + rng.normal(size=n)
    w = rng.uniform(0.5, 3, n)
    groups = rng.integers(0, 12, n)
    return X, t, y, w, groups


@pytest.mark.parametrize("cov_type", ["nonrobust", "HC0", "HC1", "HC2", "HC3"])
def test_least_squares_equals_statsmodels(table, cov_type):
    X, t, y, w, _ = table
    design = np.column_stack([np.ones(len(y)), t, X])
    fit_kw = {} if cov_type == "nonrobust" else {"cov_type": cov_type}
    for weights, model in ((None, sm.OLS(y, design)), (w, sm.WLS(y, design, weights=w))):
        ours = linear_fit(y, design, weights, cov_type)
        theirs = model.fit(**fit_kw)
        np.testing.assert_allclose(ours.params, theirs.params, rtol=1e-10)
        np.testing.assert_allclose(np.sqrt(np.diag(ours.cov)), theirs.bse, rtol=1e-10)


def test_clustered_errors_equal_statsmodels(table):
    X, t, y, _, groups = table
    design = np.column_stack([np.ones(len(y)), t, X])
    ours = linear_fit(y, design, groups=groups)
    theirs = sm.OLS(y, design).fit(cov_type="cluster", cov_kwds={"groups": groups})
    np.testing.assert_allclose(np.sqrt(np.diag(ours.cov)), theirs.bse, rtol=1e-10)
    assert ours.n_groups == len(np.unique(groups))


def test_collinear_regressors_are_refused():
    x = np.arange(10.0)
    with pytest.raises(EstimationError, match="collinear"):
        linear_fit(x, np.column_stack([np.ones(10), x, 2 * x]))


def test_logit_equals_statsmodels(table):
    X, t, _, _, _ = table
    design = np.column_stack([np.ones(len(t)), X])
    params, p = logit_fit(t, design)
    theirs = sm.Logit(t, design).fit(disp=0)
    np.testing.assert_allclose(params, theirs.params, rtol=1e-6)
    np.testing.assert_allclose(p, theirs.predict(), rtol=1e-6)


def test_logit_reports_separation():
    x = np.array([-3.0, -2, -1, 1, 2, 3])
    t = (x > 0).astype(float)
    with pytest.raises(EstimationError, match="separate"):
        logit_fit(t, np.column_stack([np.ones(6), x]))


@pytest.mark.parametrize("estimand, group", [("att", 1), ("ate", "all")])
def test_ipw_equals_statsmodels_treatment_effect(table, estimand, group):
    from statsmodels.treatment.treatment_effects import TreatmentEffect

    X, t, y, _, _ = table
    design = np.column_stack([np.ones(len(t)), X])
    select = sm.Logit(t, design).fit(disp=0)
    assert select.predict().min() > 0.01 and select.predict().max() < 0.99
    theirs = TreatmentEffect(sm.OLS(y, design), t, results_select=select).ipw(
        effect_group=group, disp=False
    )
    ours = ipw_effect(y, t.astype(bool), X, estimand)
    # statsmodels solves the moment conditions with Nelder-Mead, so agreement is
    # to the optimiser's tolerance rather than to rounding.
    assert ours["estimate"] == pytest.approx(theirs.effect[0], rel=1e-5)
    assert ours["std_error"] == pytest.approx(
        np.sqrt(theirs.results_gmm.cov_params()[0, 0]), rel=1e-5
    )


def test_ipw_att_is_the_odds_weighted_difference(table):
    X, t, y, _, _ = table
    _, p = logit_fit(t, np.column_stack([np.ones(len(t)), X]))
    odds = p / (1 - p)
    treated = t == 1
    by_hand = y[treated].mean() - np.average(y[~treated], weights=odds[~treated])
    assert ipw_effect(y, treated, X, "att")["estimate"] == pytest.approx(by_hand, rel=1e-9)


def test_p_values_and_intervals_equal_scipy():
    from scipy import stats

    assert normal_p(1.7) == pytest.approx(2 * stats.norm.sf(1.7), rel=1e-12)
    assert t_p(-2.1, 7.5) == pytest.approx(2 * stats.t.sf(2.1, 7.5), rel=1e-10)
    low, high, p = interval(3.0, 1.5, 0.9, df=12)
    q = stats.t.ppf(0.95, 12)
    assert (low, high) == pytest.approx((3 - q * 1.5, 3 + q * 1.5), rel=1e-10)
    assert p == pytest.approx(2 * stats.t.sf(2.0, 12), rel=1e-10)
    assert np.isnan(interval(1.0, 0.0, 0.95)[2])
