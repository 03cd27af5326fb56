"""Covariate adjustment without matching: regression and inverse-probability
weighting.

Regression: least squares of the outcome on a constant, the focal-group
indicator and the covariates (population-weighted least squares with
weights="population"); the estimate is the indicator's coefficient, the
focal-minus-comparison difference at equal covariates under a linear,
constant-difference model. Standard errors HC1 by default (HC0, HC2, HC3 or
nonrobust on request), normal interval, as statsmodels' OLS/WLS fit(cov_type=...)
reports them.

IPW: a logit of the focal indicator on a constant and the covariates
(standardised first, which changes no fitted probability) gives propensity
scores p. The ATT (default) weighs comparison counties by p/(1-p); the ATE
weighs focal counties by 1/p and comparison counties by 1/(1-p); weights are
normalised within each group. The standard error is the M-estimation sandwich
stacking the logit score with the weighted-mean equations, so it accounts for
estimating the propensity scores; it equals statsmodels'
TreatmentEffect(...).ipw() (which solves the same equations) where that does
not clip scores to [0.01, 0.99]. Rows report the range of the scores and the
effective number of comparison counties, since a few large weights make the
estimate fragile.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..core.errors import EstimationError
from .choices import WEIGHTS, check_choice
from .design import Design, year_design
from .spec import MethodSpec, check_level, level_option, option
from .stats import COV_TYPES, interval, linear_fit, logit_fit

ESTIMANDS = ("att", "ate")


def regression_rows(
    design: Design,
    outcome: str,
    covariates: tuple[str, ...],
    covariate_label: str,
    cov_type: str = "HC1",
    weights: str = "none",
    level: float = 0.95,
) -> list[dict]:
    check_choice("covariance type", cov_type, COV_TYPES)
    sample = design.sample(outcome, covariates, weights=weights == "population")
    options = {
        "weights": weights,
        "covariates": covariate_label,
        "cov_type": cov_type,
        "estimand": "coefficient on the focal-group indicator",
    }
    try:
        sample.require(2)
        X = np.column_stack([np.ones(len(sample.y)), sample.treated.astype(float), sample.X])
        fit = linear_fit(sample.y, X, sample.weights, cov_type)
        estimate, std_error = float(fit.params[1]), fit.se(1)
        df = fit.df_resid if cov_type == "nonrobust" else None
        low, high, p = interval(estimate, std_error, level, df)
        how = "OLS" if weights == "none" else "population-weighted least squares"
        dist = f"t with {fit.df_resid} df" if df else "normal"
        return [
            design.base_row(
                sample,
                outcome,
                "regression",
                estimate=estimate,
                std_error=std_error,
                ci_low=low,
                ci_high=high,
                p_value=p,
                se_method=f"{how}, {cov_type} errors, {dist}",
                **options,
            )
        ]
    except EstimationError as exc:
        return [design.failed_row(sample, outcome, "regression", exc, **options)]


def ipw_effect(y: np.ndarray, treated: np.ndarray, X: np.ndarray, estimand: str = "att") -> dict:
    """IPW estimate and sandwich standard error. X: covariates without a
    constant. Parameters are ordered (effect, comparison mean, logit
    coefficients) and the moment conditions are those of statsmodels'
    _IPWGMM: w*(y - t*effect - mu0)*[t, 1] and the logit score (t - p)*x."""
    check_choice("IPW estimand", estimand, ESTIMANDS)
    n = len(y)
    sd = X.std(axis=0, ddof=1)
    if (sd == 0).any():
        raise EstimationError(
            "a covariate is constant in this sample: the propensity model cannot use it"
        )
    Xl = np.column_stack([np.ones(n), (X - X.mean(axis=0)) / sd])
    t = treated.astype(float)
    _, p = logit_fit(t, Xl)
    odds = p / (1 - p)
    if estimand == "att":
        w = t + (1 - t) * odds
        omega = (1 - t) * odds  # dw/d(eta)
    else:
        w = t / p + (1 - t) / (1 - p)
        omega = -t * (1 - p) / p + (1 - t) * odds
    mu1 = float(w[treated] @ y[treated] / w[treated].sum())
    mu0 = float(w[~treated] @ y[~treated] / w[~treated].sum())
    effect = mu1 - mu0
    r = y - t * effect - mu0
    moments = np.column_stack([w * r * t, w * r, (t - p)[:, None] * Xl])
    q = Xl.shape[1]
    G = np.zeros((2 + q, 2 + q))
    G[0, 0] = G[0, 1] = G[1, 0] = -np.mean(w * t)
    G[1, 1] = -np.mean(w)
    G[0, 2:] = (t * r * omega) @ Xl / n
    G[1, 2:] = (r * omega) @ Xl / n
    G[2:, 2:] = -(Xl * (p * (1 - p))[:, None]).T @ Xl / n
    S = moments.T @ moments / n
    G_inv = np.linalg.inv(G)
    cov = G_inv @ S @ G_inv.T / n
    wc = w[~treated]
    return {
        "estimate": effect,
        "std_error": float(math.sqrt(cov[0, 0])),
        "mean_focal": mu1,
        "mean_comparison_weighted": mu0,
        "propensity_min": float(p.min()),
        "propensity_max": float(p.max()),
        "effective_n_comparison": float(wc.sum() ** 2 / (wc**2).sum()),
        "max_comparison_weight_share": float(wc.max() / wc.sum()),
    }


def ipw_rows(
    design: Design,
    outcome: str,
    covariates: tuple[str, ...],
    covariate_label: str,
    estimand: str = "att",
    level: float = 0.95,
) -> list[dict]:
    check_choice("IPW estimand", estimand, ESTIMANDS)
    sample = design.sample(outcome, covariates)
    options = {
        "weights": "none",
        "covariates": covariate_label,
        "estimand": estimand.upper() + (" (odds weights)" if estimand == "att" else ""),
    }
    try:
        sample.require(2)
        if sample.X.shape[1] == 0:
            raise EstimationError("IPW needs at least one covariate")
        result = ipw_effect(sample.y, sample.treated, sample.X, estimand)
        low, high, p = interval(result["estimate"], result["std_error"], level)
        return [
            design.base_row(
                sample,
                outcome,
                "ipw",
                ci_low=low,
                ci_high=high,
                p_value=p,
                se_method="M-estimation sandwich including the logit step; normal",
                **options,
                **result,
            )
        ]
    except EstimationError as exc:
        return [design.failed_row(sample, outcome, "ipw", exc, **options)]


@dataclass(frozen=True)
class RegressionOptions:
    cov_type: str = option("HC1", "the robust standard error", choices=COV_TYPES)
    weights: str = option("none", "unweighted, or population-weighted", choices=WEIGHTS)
    level: float = level_option()

    def __post_init__(self):
        check_level(self.level)


@dataclass(frozen=True)
class IpwOptions:
    estimand: str = option("att", "on the focal units (att) or on all (ate)", choices=ESTIMANDS)
    level: float = level_option()

    def __post_init__(self):
        check_level(self.level)


REGRESSION = MethodSpec(
    "regression",
    "OLS of the outcome on the group indicator and covariates, robust errors",
    RegressionOptions,
    regression_rows,
    year_design,
    covariates=True,
)
IPW = MethodSpec(
    "ipw",
    "inverse-probability weighting with a logit propensity score",
    IpwOptions,
    ipw_rows,
    year_design,
    covariates=True,
)
