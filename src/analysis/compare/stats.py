"""Numerical pieces shared by the estimators: least squares with robust and
clustered sandwich errors, a logit fit, and normal / t tail probabilities.

Written with numpy so that a specification curve of thousands of fits does
not pay statsmodels' import (several seconds) or its per-model overhead; the
tests check every formula here against statsmodels on small tables.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from ..core.errors import EstimationError, UnknownChoice

COV_TYPES = ("nonrobust", "HC0", "HC1", "HC2", "HC3")


# --- distributions --------------------------------------------------------------


def normal_p(z: float) -> float:
    """Two-sided p-value of a standard normal statistic."""
    return math.erfc(abs(z) / math.sqrt(2)) if np.isfinite(z) else math.nan


def normal_quantile(level: float) -> float:
    return NormalDist().inv_cdf(0.5 + level / 2)


def t_p(t: float, df: float) -> float:
    """Two-sided p-value of a t statistic with `df` degrees of freedom."""
    from scipy.special import stdtr

    return float(2 * stdtr(df, -abs(t))) if np.isfinite(t) else math.nan


def t_quantile(level: float, df: float) -> float:
    from scipy.special import stdtrit

    return float(stdtrit(df, 0.5 + level / 2))


def interval(estimate: float, se: float, level: float, df: float | None = None):
    """(ci_low, ci_high, p_value) from an estimate and its standard error:
    normal when df is None, else Student t with df degrees of freedom."""
    if not (np.isfinite(se) and se > 0):
        return math.nan, math.nan, math.nan
    q = normal_quantile(level) if df is None else t_quantile(level, df)
    stat = estimate / se
    p = normal_p(stat) if df is None else t_p(stat, df)
    return estimate - q * se, estimate + q * se, p


# --- least squares -------------------------------------------------------------


@dataclass
class LinearFit:
    params: np.ndarray
    cov: np.ndarray
    nobs: int
    df_resid: int
    cov_type: str
    n_groups: int | None = None

    def se(self, i: int) -> float:
        return float(math.sqrt(self.cov[i, i]))


def linear_fit(
    y: np.ndarray,
    X: np.ndarray,
    weights: np.ndarray | None = None,
    cov_type: str = "HC1",
    groups: np.ndarray | None = None,
    k_absorbed: int = 0,
) -> LinearFit:
    """Least squares of y on X (X carries its own constant), weighted when
    `weights` is given, with a sandwich covariance:

    - HC0..HC3: White's estimator and its small-sample variants (HC1 scales by
      n/(n-k); HC2 and HC3 divide each squared residual by (1-h) and (1-h)^2,
      h the leverage of the weighted design), as statsmodels defines them;
    - groups given: clustered by group, scaled by G/(G-1) * (n-1)/(n-k), where
      k counts the columns of X plus `k_absorbed` (effects partialled out
      before the call that are not nested within the clusters).
    """
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    n, k = X.shape
    if n <= k:
        raise EstimationError(f"{n} observations for {k} parameters: too few to fit")
    root_w = None if weights is None else np.sqrt(np.asarray(weights, dtype=float))
    Xw = X if root_w is None else X * root_w[:, None]
    yw = y if root_w is None else y * root_w
    Q, R = np.linalg.qr(Xw)
    diag = np.abs(np.diag(R))
    if diag.min() <= 1e-10 * max(diag.max(), 1.0):
        raise EstimationError(
            "the regressors are collinear in this sample (a covariate is "
            "constant, or a combination of others)"
        )
    params = np.linalg.solve(R, Q.T @ yw)
    R_inv = np.linalg.solve(R, np.eye(k))
    bread = R_inv @ R_inv.T
    resid_w = yw - Xw @ params
    k_all = k + k_absorbed
    df_resid = n - k_all
    if groups is not None:
        codes, n_groups = _codes(groups)
        scores = Xw * resid_w[:, None]
        summed = np.column_stack(
            [np.bincount(codes, scores[:, j], minlength=n_groups) for j in range(k)]
        )
        meat = summed.T @ summed
        scale = n_groups / (n_groups - 1) * (n - 1) / df_resid
        return LinearFit(params, scale * bread @ meat @ bread, n, df_resid, "cluster", n_groups)
    if cov_type == "nonrobust":
        return LinearFit(params, bread * (resid_w @ resid_w / df_resid), n, df_resid, cov_type)
    if cov_type not in COV_TYPES:
        raise UnknownChoice("covariance type", cov_type, COV_TYPES)
    u2 = resid_w**2
    if cov_type in ("HC2", "HC3"):
        leverage = np.einsum("ij,ij->i", Q, Q)
        u2 = u2 / (1 - leverage) ** (1 if cov_type == "HC2" else 2)
    meat = (Xw * u2[:, None]).T @ Xw
    if cov_type == "HC1":
        meat *= n / df_resid
    return LinearFit(params, bread @ meat @ bread, n, df_resid, cov_type)


def _codes(groups: np.ndarray) -> tuple[np.ndarray, int]:
    uniques, codes = np.unique(np.asarray(groups), return_inverse=True)
    if len(uniques) < 2:
        raise EstimationError("clustered errors need at least two clusters")
    return codes.ravel(), len(uniques)


# --- logit ----------------------------------------------------------------------


def expit(eta: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(eta))
    return np.where(eta >= 0, 1 / (1 + e), e / (1 + e))


def logit_fit(
    t: np.ndarray, X: np.ndarray, max_iter: int = 100, tol: float = 1e-10
) -> tuple[np.ndarray, np.ndarray]:
    """Maximum-likelihood logit of t (0/1) on X by Newton-Raphson with step
    halving. Returns (params, fitted probabilities). Raises EstimationError
    when the likelihood has no finite maximum (separation: the likelihood
    stops improving while some fitted probability is within 1e-13 of 0 or 1)
    or the iterations do not converge."""
    t = np.asarray(t, dtype=float)
    X = np.asarray(X, dtype=float)
    beta = np.zeros(X.shape[1])
    eta = X @ beta

    def loglik(eta):
        return float(t @ eta - np.logaddexp(0, eta).sum())

    current = loglik(eta)
    for _ in range(max_iter):
        p = expit(eta)
        grad = X.T @ (t - p)
        hess = (X * (p * (1 - p))[:, None]).T @ X
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            raise EstimationError(
                "the propensity model is singular: a covariate is constant "
                "or collinear in this sample"
            ) from None
        separated = np.max(np.abs(eta)) > 30
        if np.max(np.abs(step)) < tol and not separated:
            return beta, p
        size = 1.0
        while True:  # Newton can overshoot far from the maximum; halve until it climbs
            candidate = beta + size * step
            cand_eta = X @ candidate
            value = loglik(cand_eta)
            if value >= current or size < 1e-3:
                break
            size /= 2
        gain = value - current
        beta, eta, current = candidate, cand_eta, value
        if gain <= 1e-12 * (1 + abs(current)):  # no progress left
            if np.max(np.abs(eta)) > 30:
                break
            return beta, expit(eta)
    raise EstimationError(
        "the propensity model (logit) has no finite maximum: the covariates "
        "separate the groups completely or almost, so weights are unusable"
    )
