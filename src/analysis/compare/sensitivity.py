"""How strong a hidden confounder would have to be to explain away a matched
comparison: Rosenbaum's sensitivity bounds for Wilcoxon's signed-rank test, and
VanderWeele and Ding's E-value for the matched estimate (at the end).

The model (Rosenbaum 2002, Observational Studies, 2nd ed., Springer, ch. 4).
In each matched pair (a sanctuary county and its matched comparison county)
the two counties look alike on the matching covariates, but an unmeasured
covariate may still make one of them likelier to be the sanctuary one. Gamma
bounds that: within a pair, the odds that either county is the sanctuary one
differ by at most a factor Gamma. Gamma = 1 is the randomised pair of an
experiment; Gamma = 2 lets the hidden covariate double the odds.

The bound. Under the null hypothesis of no effect, the signed-rank statistic
T = sum of the ranks of |d_i| over pairs whose treated-minus-control
difference d_i is positive, is a sum of independent terms r_i * B_i where,
with bias at most Gamma, P(B_i = 1) lies between 1/(1 + Gamma) and
Gamma/(1 + Gamma). Its distribution is bounded above (below) by the
distribution with every pair at p+ = Gamma/(1 + Gamma) (p- = 1/(1 + Gamma)):
mean p * sum(r_i), variance p(1 - p) * sum(r_i^2). The normal approximation
gives the bounds on the one-sided p-value,

    p_upper(Gamma) = 1 - Phi((T - p+ sum r_i) / sqrt(p+ (1 - p+) sum r_i^2)),

and p_lower likewise with p-. At Gamma = 1 both equal the usual large-sample
signed-rank p-value without continuity correction.

The sensitivity value is the Gamma at which p_upper reaches alpha: below it
the difference stays significant whatever the hidden bias; at it, a hidden
confounder that multiplies the odds of being a sanctuary county by Gamma (and
predicts the outcome almost perfectly) could explain the difference away. It
is solved in closed form: with z = Phi^-1(1 - alpha), p+ is the smaller root
of (S1^2 + z^2 S2) p^2 - (2 T S1 + z^2 S2) p + T^2 = 0 (S1 = sum r_i,
S2 = sum r_i^2), and Gamma = p+ / (1 - p+).

Direction. The test is one-sided in the direction of the estimate: by default
the sign of the mean difference (the matched estimate); when it is negative
the differences are negated, so the same formulas test "sanctuary lower".

Ties and zeros. Tied |d_i| get average ranks (the variance formula above
already accounts for them). Zero differences are, by default, dropped before
ranking, as the R package rbounds does (psens, in R/psens.R of rbounds 2.2;
Wilcoxon's convention). zero_method="pratt" instead ranks them with the others
and then gives them score zero, as senWilcox of the R package DOS2 does
(R/senWilcox.R of DOS2 0.5.2, the same code as in DOS 1.0.0: Pratt's
convention); the two differ only when some pair has d_i = 0. Each convention
follows its package's formula, not a printed table: DOS2's documentation says
its lead example reproduces parts of Tables 4.3 and 4.4 of Rosenbaum (2002),
but the bounds here are checked against the two packages' formulas as their
source code states them, and at Gamma = 1 against scipy's signed-rank test
(tests/test_compare_sensitivity.py), not against those tables.

Assumptions: pairs are independent; the null is no effect in any pair; the
normal approximation needs more than a handful of non-zero pairs (with very
few, use an exact method such as DOS2's senWilcoxExact).

The E-value (VanderWeele and Ding 2017, "Sensitivity analysis in
observational research: introducing the E-value", Annals of Internal Medicine
167(4):268-274) is a second measure, on another scale: the minimum strength of
association, as a risk ratio, that an unmeasured confounder would need with
both the treatment and the outcome, conditional on the measured covariates, to
explain away an estimate. For a risk ratio RR > 1,

    E = RR + sqrt(RR (RR - 1)),

with 1/RR in place of RR when RR < 1; it is reported for the estimate and for
the confidence limit closest to the null (1 if the interval crosses the null).
e_value_rr computes it; e_value_md first converts a difference in means (what
the matched estimates are) to an approximate risk ratio, as the R package
EValue does. Both reproduce the package's printed examples (see the tests).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist

import numpy as np
import pandas as pd

from ..core.errors import AnalysisError, EstimationError

DEFAULT_GAMMAS = (1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0)
DIRECTIONS = ("greater", "less")
ZERO_METHODS = ("wilcox", "pratt")
RESULT_COLUMNS = ["Gamma", "statistic", "p_lower", "p_upper", "direction"]
E_VALUE_ROWS = ["point", "lower", "upper"]
E_VALUE_COLUMNS = ["RR", "E_value"]
# Difference in means to risk ratio (EValue's toRR.MD and evalues.MD): RR ~ exp(0.91 d),
# limits exp(0.91 d -/+ 1.78 se_d); 1.78 is 0.91 x 1.96 rounded, as the package has it.
MD_TO_LOG_RR = 0.91
MD_TO_LOG_RR_95 = 1.78


def signed_rank_bounds(
    differences: Sequence[float] | np.ndarray | pd.Series,
    gammas: Sequence[float] = DEFAULT_GAMMAS,
    *,
    direction: str | None = None,
    zero_method: str = "wilcox",
) -> pd.DataFrame:
    """Bounds on the one-sided signed-rank p-value for each Gamma.

    differences: treated-minus-control outcome, one per matched pair.
    direction: "greater" (sanctuary higher) or "less"; default: the sign of
    the mean difference. Returns one row per Gamma: Gamma, statistic (the
    signed-rank statistic in the tested direction), p_lower, p_upper,
    direction (the rbounds psens table, plus the statistic and direction).
    """
    ranks, positive, tested = _signed_ranks(differences, direction, zero_method)
    statistic = float(ranks[positive].sum())
    rows = []
    for gamma in gammas:
        _check_gamma(gamma)
        p_lower = _tail(statistic, ranks, 1 / (1 + gamma))
        p_upper = _tail(statistic, ranks, gamma / (1 + gamma))
        rows.append((float(gamma), statistic, p_lower, p_upper, tested))
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


def upper_p_value(
    differences: Sequence[float] | np.ndarray | pd.Series,
    gamma: float,
    *,
    direction: str | None = None,
    zero_method: str = "wilcox",
) -> float:
    """The upper bound on the one-sided signed-rank p-value at one Gamma."""
    _check_gamma(gamma)
    ranks, positive, _ = _signed_ranks(differences, direction, zero_method)
    return _tail(float(ranks[positive].sum()), ranks, gamma / (1 + gamma))


def sensitivity_gamma(
    differences: Sequence[float] | np.ndarray | pd.Series,
    alpha: float = 0.05,
    *,
    direction: str | None = None,
    zero_method: str = "wilcox",
) -> float:
    """The sensitivity value: the Gamma at which the upper bound on the
    one-sided p-value equals alpha. 1.0 when the difference is not significant
    at alpha even without hidden bias (p at Gamma = 1 is alpha or more); inf
    when no Gamma reaches alpha (possible only for alpha >= 0.5)."""
    if not 0 < alpha < 1:
        raise AnalysisError(f"alpha must be between 0 and 1, got {alpha}.")
    ranks, positive, _ = _signed_ranks(differences, direction, zero_method)
    statistic = float(ranks[positive].sum())
    if _tail(statistic, ranks, 0.5) >= alpha:
        return 1.0
    total, squares = float(ranks.sum()), float((ranks**2).sum())
    z = NormalDist().inv_cdf(1 - alpha)
    # (T - p S1)^2 = z^2 p (1 - p) S2 on T - p S1 >= 0: the smaller root.
    a = total**2 + z**2 * squares
    b = 2 * statistic * total + z**2 * squares
    c = statistic**2
    root = (b - math.sqrt(max(b * b - 4 * a * c, 0.0))) / (2 * a)
    if root >= 1:
        return math.inf
    return root / (1 - root)


# --- E-value ---------------------------------------------------------------------


def e_value_rr(
    rr: float, lo: float | None = None, hi: float | None = None, true: float = 1.0
) -> pd.DataFrame:
    """The E-value of a risk ratio and of its confidence limit closest to the null.

    E = RR + sqrt(RR (RR - 1)) for RR > 1, with 1/RR in place of RR for RR < 1
    (VanderWeele and Ding 2017, Annals of Internal Medicine 167(4):268-274).
    With true != 1 (a "non-null" E-value: the confounding needed to move the
    estimate to `true` rather than to 1) the ratio is B = RR / true, or its
    inverse if below 1, and E = B + sqrt(B (B - 1)): the same numbers as
    EValue's threshold(x, true).

    Returns EValue's evalues.RR table transposed: rows point, lower, upper;
    columns RR (as given) and E_value. As in the package, only the limit on the
    null side of the estimate gets an E-value (the other is NaN), and that
    E-value is 1 when the interval crosses `true`; with the estimate exactly at
    `true`, the point and lower E-values are 1. Limits not given are NaN.
    """
    rr = _ratio("rr", rr, EstimationError)
    true = _ratio("true", true, AnalysisError)
    lo = None if lo is None else _ratio("lo", lo, EstimationError)
    hi = None if hi is None else _ratio("hi", hi, EstimationError)
    if lo is not None and hi is not None and lo > hi:
        raise AnalysisError(
            f"the lower confidence limit ({lo}) is above the upper one ({hi}); pass them as lo, hi."
        )
    if (lo is not None and rr < lo) or (hi is not None and rr > hi):
        raise AnalysisError(
            f"the risk ratio {rr} is outside its confidence interval ({lo}, {hi}); pass "
            "the limits of this estimate, on the risk-ratio scale."
        )
    values = [rr, math.nan if lo is None else lo, math.nan if hi is None else hi]
    e_values = [_e_value(x, true) for x in values]
    if (rr > true and lo is not None and lo < true) or (rr < true and hi is not None and hi > true):
        e_values[1] = e_values[2] = 1.0  # the interval crosses the null
    if lo is not None or hi is not None:
        # Only the limit closer to the null is reported.
        if rr > true:
            e_values[2] = math.nan
        elif rr < true:
            e_values[1] = math.nan
        else:
            e_values[1], e_values[2] = 1.0, math.nan
    return pd.DataFrame(
        {"RR": values, "E_value": e_values}, index=E_VALUE_ROWS, columns=E_VALUE_COLUMNS
    )


def e_value_md(estimate: float, se: float | None, sd: float | None = None) -> pd.DataFrame:
    """The E-value of a difference in means, through an approximate risk ratio.

    estimate, se: the difference in means (treated minus comparison; here the
    matched estimate) and its standard error, in the outcome's units.
    sd: the standard deviation of the outcome among the compared units (here
    the focal and comparison counties of the matched sample), in the same
    units; it turns the difference into a standardised mean difference
    d = estimate / sd with standard error se_d = se / sd. A residual standard
    deviation given the covariates, SD(Y | X, C), gives the standardised
    difference proper; the outcome's plain SD(Y) is at least as large, so it
    gives a smaller, conservative E-value (EValue's documentation of OLS()).
    Either way sd is treated as known, not estimated. sd=None: estimate and se
    are already standardised (Cohen's d and its standard error), as EValue's
    evalues.MD takes them. se=None: the point E-value only.

    Conversion, exactly as the R package EValue does it (toRR.MD and
    evalues.MD in R/EValue.R and R/effect_measures.R, CRAN 4.1.4; evalue(MD(d),
    se = se_d), or evalues.OLS(estimate, se, sd) with delta = 1):

        RR ~ exp(0.91 d),  limits exp(0.91 d - 1.78 se_d), exp(0.91 d + 1.78 se_d)

    and then e_value_rr with the null RR = 1 (d = 0). The conversion is an
    approximation, which the package attributes to Chinn (2000, Statistics in
    Medicine 19(22):3127-3131) and VanderWeele (2017, Epidemiology 28(6):e58):
    Chinn's log odds ratio ~ (pi / sqrt(3)) d ~ 1.81 d, the odds ratio that
    would arise from dichotomising the outcome at some cut-off (exact for
    logistic outcome distributions), then the square root of that odds ratio
    as the risk ratio of a common outcome; 0.91 ~ pi / (2 sqrt(3)). The E-value
    is then about a confounder's association with being above versus below
    that cut-off. The limits are a 95% interval (1.78 ~ 0.91 x 1.96) built
    from se, whatever interval was reported with the estimate.
    """
    estimate = _finite("estimate", estimate)
    if se is not None:
        se = _finite("standard error", se)
        if se < 0:
            raise AnalysisError(f"the standard error cannot be negative, got {se}.")
    if sd is not None:
        sd = _finite("outcome standard deviation", sd)
        if sd <= 0:
            raise EstimationError(
                f"the outcome's standard deviation is {sd}: the outcome does not vary "
                "among the compared units, so there is no standardised difference. "
                "Pass the outcome's standard deviation among the matched units."
            )
        estimate /= sd
        se = None if se is None else se / sd
    log_rr = MD_TO_LOG_RR * estimate
    if se is None:
        return e_value_rr(math.exp(log_rr))
    half_width = MD_TO_LOG_RR_95 * se
    return e_value_rr(
        math.exp(log_rr), math.exp(log_rr - half_width), math.exp(log_rr + half_width)
    )


# --- helpers -------------------------------------------------------------------


def _e_value(rr: float, true: float = 1.0) -> float:
    """E = B + sqrt(B (B - 1)) for the bias factor B = max(RR/true, true/RR)."""
    if math.isnan(rr):
        return math.nan
    ratio = rr / true
    if ratio < 1:
        ratio = 1 / ratio
    return ratio + math.sqrt(ratio * (ratio - 1))


def _finite(name: str, value: float) -> float:
    value = float(value)
    if not math.isfinite(value):
        raise EstimationError(
            f"the {name} is missing or infinite ({value}): there is nothing to compute "
            "an E-value for. Check that the estimate did not fail."
        )
    return value


def _ratio(name: str, value: float, error: type[AnalysisError]) -> float:
    value = float(value)
    if not (math.isfinite(value) and value > 0):
        raise error(
            f"{name} must be a positive, finite risk ratio, got {value}; a difference in "
            "means goes through e_value_md instead."
        )
    return value


def _check_gamma(gamma: float) -> None:
    if not (np.isfinite(gamma) and gamma >= 1):
        raise AnalysisError(f"Gamma must be a finite number >= 1, got {gamma}.")


def _signed_ranks(
    differences: Sequence[float] | np.ndarray | pd.Series,
    direction: str | None,
    zero_method: str,
) -> tuple[np.ndarray, np.ndarray, str]:
    """Ranks of |d| (zeros scored per zero_method) and which pairs favour the
    tested direction."""
    from scipy.stats import rankdata

    if zero_method not in ZERO_METHODS:
        raise AnalysisError(
            f"zero_method must be one of {', '.join(ZERO_METHODS)}, got {zero_method!r}."
        )
    if direction is not None and direction not in DIRECTIONS:
        raise AnalysisError(
            f"direction must be one of {', '.join(DIRECTIONS)} or None, got {direction!r}."
        )
    d = np.asarray(differences, dtype=float).ravel()
    if d.size == 0 or not np.all(np.isfinite(d)):
        raise EstimationError(
            "the matched-pair differences are empty or have missing values; drop pairs "
            "without an outcome for both units before the sensitivity analysis."
        )
    tested = direction or ("less" if d.mean() < 0 else "greater")
    if tested == "less":
        d = -d
    if zero_method == "wilcox":
        d = d[d != 0]
        ranks = rankdata(np.abs(d))
    else:
        ranks = rankdata(np.abs(d)) * (d != 0)
    if not ranks.any():
        raise EstimationError(
            "every matched pair has a zero difference: the signed-rank test has nothing "
            "to test. There is no difference to explain away."
        )
    return ranks, d > 0, tested


def _tail(statistic: float, ranks: np.ndarray, p: float) -> float:
    """P(T >= statistic) by the normal approximation, each pair positive with
    probability p."""
    mean = p * float(ranks.sum())
    sd = math.sqrt(p * (1 - p) * float((ranks**2).sum()))
    return 0.5 * math.erfc((statistic - mean) / sd / math.sqrt(2))
