"""Descriptive differences: focal minus comparison mean, unweighted and
population-weighted, and the permutation test of the same difference.

Unweighted: the Welch interval (unequal variances, t with the Welch-
Satterthwaite degrees of freedom); it equals OLS on a group dummy with HC2
errors. Population-weighted: weighted means, with the HC2 standard error of
the weighted regression on a group dummy (normal interval), i.e. what the
average resident of each group experiences rather than the average county.

Permutation: the focal labels are reassigned at random (optionally within
NCHS urban-rural classes) n_permutations times; the two-sided p-value counts
draws at least as extreme as the observed difference, with the +1
correction, (1 + #extreme) / (1 + draws). The interval inverts the same test
under a constant additive difference: every shift d whose shifted data
(y - d for focal counties) the test does not reject at the chosen level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..core.errors import AnalysisError, EstimationError
from .choices import WEIGHTS
from .design import Design, year_design
from .spec import MethodSpec, check_level, level_option, option
from .stats import interval, t_p, t_quantile

WEIGHTINGS = ("both", "none", "population")


def welch(y: np.ndarray, treated: np.ndarray, level: float = 0.95) -> dict:
    a, b = y[treated], y[~treated]
    n1, n0 = len(a), len(b)
    v1, v0 = a.var(ddof=1) / n1, b.var(ddof=1) / n0
    se = math.sqrt(v1 + v0)
    df = (v1 + v0) ** 2 / (v1**2 / (n1 - 1) + v0**2 / (n0 - 1)) if se > 0 else math.nan
    estimate = float(a.mean() - b.mean())
    if se > 0:
        q = t_quantile(level, df)
        low, high, p = estimate - q * se, estimate + q * se, t_p(estimate / se, df)
    else:
        low = high = p = math.nan
    return {
        "estimate": estimate,
        "std_error": se,
        "ci_low": low,
        "ci_high": high,
        "p_value": p,
        "df": df,
        "mean_focal": float(a.mean()),
        "mean_comparison": float(b.mean()),
    }


def weighted_difference(
    y: np.ndarray, treated: np.ndarray, w: np.ndarray, level: float = 0.95
) -> dict:
    means, variances = [], []
    for mask in (treated, ~treated):
        wg, yg = w[mask], y[mask]
        total = wg.sum()
        mean = float(wg @ yg / total)
        resid = yg - mean
        leverage = wg / total
        variances.append(float(np.sum(wg**2 * resid**2 / (1 - leverage))) / total**2)
        means.append(mean)
    estimate = means[0] - means[1]
    se = math.sqrt(sum(variances))
    low, high, p = interval(estimate, se, level)
    return {
        "estimate": estimate,
        "std_error": se,
        "ci_low": low,
        "ci_high": high,
        "p_value": p,
        "mean_focal": means[0],
        "mean_comparison": means[1],
    }


def raw_rows(
    design: Design, outcome: str, weights: str = "both", level: float = 0.95
) -> list[dict]:
    rows = []
    for weighting in ("none", "population") if weights == "both" else (weights,):
        sample = design.sample(outcome, weights=weighting == "population")
        try:
            sample.require(2)
            if weighting == "none":
                result = welch(sample.y, sample.treated, level)
                se_method = f"Welch, t with {result.pop('df'):.1f} df"
            else:
                result = weighted_difference(sample.y, sample.treated, sample.weights, level)
                se_method = "HC2 of the population-weighted regression on a group dummy, normal"
            rows.append(
                design.base_row(
                    sample,
                    outcome,
                    "raw",
                    estimand="difference in means",
                    weights=weighting,
                    covariates="",
                    se_method=se_method,
                    **result,
                )
            )
        except EstimationError as exc:
            rows.append(
                design.failed_row(
                    sample,
                    outcome,
                    "raw",
                    exc,
                    weights=weighting,
                    covariates="",
                    estimand="difference in means",
                )
            )
    return rows


# --- permutation ------------------------------------------------------------------


def _permuted_labels(
    treated: np.ndarray, strata: np.ndarray | None, draws: int, rng: np.random.Generator
) -> np.ndarray:
    labels = np.tile(treated, (draws, 1))
    if strata is None:
        return rng.permuted(labels, axis=1, out=labels)
    for value in np.unique(strata):
        cols = np.flatnonzero(strata == value)
        block = labels[:, cols]
        labels[:, cols] = rng.permuted(block, axis=1, out=block)
    return labels


_LABEL_CACHE: dict[tuple, list[np.ndarray]] = {}


def _label_chunks(
    treated: np.ndarray, strata: np.ndarray | None, n_permutations: int, seed: int, chunk: int
) -> list[np.ndarray]:
    """The drawn label matrices, in chunks. Outcomes with the same counties (the
    three crime rates, say) draw exactly the same labels from the same seed, so
    the draws are kept for the last few label vectors seen."""
    key = (
        treated.tobytes(),
        None if strata is None else np.asarray(strata).tobytes(),
        n_permutations,
        seed,
        chunk,
    )
    if key not in _LABEL_CACHE:
        rng = np.random.default_rng(seed)
        _LABEL_CACHE[key] = [
            _permuted_labels(treated, strata, min(chunk, n_permutations - start), rng)
            for start in range(0, n_permutations, chunk)
        ]
        while len(_LABEL_CACHE) > 3:
            _LABEL_CACHE.pop(next(iter(_LABEL_CACHE)))
    return _LABEL_CACHE[key]


def permutation_draws(
    y: np.ndarray,
    treated: np.ndarray,
    weights: np.ndarray | None = None,
    strata: np.ndarray | None = None,
    n_permutations: int = 2000,
    seed: int = 0,
    chunk: int = 500,
) -> tuple[float, np.ndarray, np.ndarray]:
    """The observed difference and, for every draw of reassigned labels, the
    difference of y and the difference of the focal indicator itself (the
    second makes the shifted statistic linear in the shift: for y - d*focal
    the drawn statistic is a - d*c)."""
    y = np.asarray(y, dtype=float)
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=float)
    d = treated.astype(float)
    wy, wd = w * y, w * d
    totals = (wy.sum(), wd.sum(), w.sum())

    def stat(labels_f: np.ndarray):
        s_wy, s_wd, s_w = labels_f @ wy, labels_f @ wd, labels_f @ w
        a = s_wy / s_w - (totals[0] - s_wy) / (totals[2] - s_w)
        c = s_wd / s_w - (totals[1] - s_wd) / (totals[2] - s_w)
        return a, c

    observed, _ = stat(d[None, :])
    a_parts, c_parts = [], []
    for labels in _label_chunks(treated, strata, n_permutations, seed, chunk):
        a, c = stat(labels.astype(float))
        a_parts.append(a)
        c_parts.append(c)
    return float(observed[0]), np.concatenate(a_parts), np.concatenate(c_parts)


def permutation_p(observed: float, a: np.ndarray, c: np.ndarray, shift: float = 0.0) -> float:
    """Two-sided p-value, (1 + #{|a - shift*c| >= |observed - shift|}) / (1 + draws);
    a relative tolerance of 1e-9 counts draws equal to the observed value up to
    rounding as ties (so as extreme)."""
    target = abs(observed - shift)
    drawn = np.abs(a - shift * c)
    extreme = np.count_nonzero(drawn >= target - 1e-9 * max(target, 1e-12))
    return (1 + extreme) / (1 + len(a))


def permutation_interval(
    observed: float, a: np.ndarray, c: np.ndarray, level: float, scale: float
) -> tuple[float, float]:
    """Shifts not rejected at 1 - level, found by bisection on each side of
    the observed difference; `scale` sets the first bracket (a standard error)."""
    alpha = 1 - level
    if 1 / (1 + len(a)) > alpha:
        return -math.inf, math.inf  # too few draws to ever reject
    bounds = []
    for direction in (-1, 1):
        inside, step = observed, max(scale, 1e-12 * max(abs(observed), 1))
        outside = observed + direction * step
        for _ in range(60):
            if permutation_p(observed, a, c, outside) <= alpha:
                break
            inside, step = outside, step * 2
            outside = observed + direction * step
        else:
            bounds.append(direction * math.inf)
            continue
        for _ in range(60):
            middle = (inside + outside) / 2
            if permutation_p(observed, a, c, middle) <= alpha:
                outside = middle
            else:
                inside = middle
        bounds.append(inside)
    return bounds[0], bounds[1]


def permutation_rows(
    design: Design,
    outcome: str,
    weights: str = "none",
    n_permutations: int = 2000,
    within: str | None = None,
    seed: int = 0,
    level: float = 0.95,
) -> list[dict]:
    extra = ("nchs_urban_rural_2013",) if within == "nchs" else ()
    sample = design.sample(outcome, weights=weights == "population", extra=extra)
    options = {
        "weights": weights,
        "covariates": "",
        "n_permutations": n_permutations,
        "permute_within": within or "",
        "seed": seed,
        "estimand": "difference in means",
    }
    try:
        sample.require(2)
        strata = sample.extra["nchs_urban_rural_2013"] if within == "nchs" else None
        observed, a, c = permutation_draws(
            sample.y, sample.treated, sample.weights, strata, n_permutations, seed
        )
        p = permutation_p(observed, a, c)
        reference = (
            welch(sample.y, sample.treated)
            if weights == "none"
            else weighted_difference(sample.y, sample.treated, sample.weights)
        )
        low, high = permutation_interval(observed, a, c, level, reference["std_error"])
        how = f"{n_permutations} random reassignments of the labels" + (
            " within NCHS urban-rural classes" if strata is not None else ""
        )
        return [
            design.base_row(
                sample,
                outcome,
                "permutation",
                estimate=observed,
                std_error=float(np.std(a, ddof=1)),
                ci_low=low,
                ci_high=high,
                p_value=p,
                se_method=f"p-value from {how} (+1 correction); interval by inverting the test "
                "under a constant difference; std_error is the SD of the drawn differences",
                **options,
            )
        ]
    except EstimationError as exc:
        return [design.failed_row(sample, outcome, "permutation", exc, **options)]


@dataclass(frozen=True)
class RawOptions:
    weights: str = option(
        "both", "unweighted (none), population-weighted, or both, two rows", choices=WEIGHTINGS
    )
    level: float = level_option()

    def __post_init__(self):
        check_level(self.level)


@dataclass(frozen=True)
class PermutationOptions:
    weights: str = option("none", "unweighted, or population-weighted", choices=WEIGHTS)
    n_permutations: int = option(
        2000, "random relabellings behind the p-value", flag="--permutations", metavar="N"
    )
    within: str | None = option(
        None, "relabel only within NCHS urban-rural classes (nchs)", choices=(None, "nchs")
    )
    seed: int = option(0, "random seed")
    level: float = level_option()

    def __post_init__(self):
        check_level(self.level)
        if self.n_permutations < 1:
            raise AnalysisError(
                f"n_permutations (--permutations) must be at least 1, not {self.n_permutations!r}"
            )


RAW = MethodSpec(
    "raw", "difference in means, unweighted and population-weighted", RawOptions, raw_rows,
    year_design,
)  # fmt: skip
PERMUTATION = MethodSpec(
    "permutation",
    "difference in means with a permutation p-value and interval",
    PermutationOptions,
    permutation_rows,
    year_design,
)
