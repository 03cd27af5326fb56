"""Nearest-neighbour matching: the average difference for the focal
(sanctuary) counties (ATT), each compared with its most similar comparison
counties.

Choices, all stated in the result columns:

- distance: Euclidean on covariates standardised by their standard deviation
  in the sample (metric "standardized", Abadie and Imbens' inverse-variance
  metric), or Mahalanobis (metric "mahalanobis": the sample covariance);
- `n_neighbours` matches per focal county, each weighing 1/n in its matched set;
- with replacement (a comparison county may serve many focal counties) or
  without (greedy: focal counties take their nearest still-free comparison
  county in the order of their nearest distance, closest first);
- `caliper`: no match farther than this distance (in the metric's units, i.e.
  standard deviations for "standardized"); a focal county with none is
  dropped and counted in `n_unmatched`, and the estimand becomes the ATT of
  the matched focal counties;
- `exact`: columns matched exactly (e.g. the NCHS urban-rural class), by
  matching within each cell of their values.

Ties are broken by FIPS code: among comparison counties at exactly the same
distance the one with the smaller code is taken. Distances are computed from
the raw covariate differences, so two counties equally far in the data are
equally far here, bit for bit; a plain double loop over all pairs gives the
same matches (tests/test_compare_integration.py checks this on the real panel).

Standard errors:

- "abadie-imbens" (default): Abadie and Imbens (2006) for the population ATT,
  V = [sum_i (tau_i - tau)^2 + sum_j (K_j^2 - K'_j) s2_j] / N1^2, where K_j is
  how often comparison county j is used (weighted 1/n per match), K'_j the
  same with weights 1/n^2, and s2_j its conditional variance estimated from
  its `variance_neighbours` nearest comparison counties; it accounts for
  comparison counties used many times. No bias correction is applied.
- "bootstrap": focal counties are resampled with their matched sets held
  fixed (`n_boot` draws, vectorised); percentile interval and p-value. It
  treats matched sets as independent, which they are not when comparison
  counties are reused; `max_comparison_reuse` shows how far that goes.

Matching adjusts for the covariates only; it says nothing about differences
that the covariates do not capture, so it is not a causal estimate by itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..core.errors import AnalysisError, EstimationError
from .choices import COVARIATES, check_choice
from .design import Design, Sample, year_design
from .sensitivity import e_value_md, sensitivity_gamma
from .spec import MethodSpec, check_level, level_option, option
from .stats import interval

METRICS = ("standardized", "mahalanobis")
SE_METHODS = ("abadie-imbens", "bootstrap")
# The columns of the balance table a reader sees.
BALANCE_COLUMNS = [
    "covariate",
    "mean_focal",
    "mean_comparison",
    "mean_comparison_matched",
    "smd_before",
    "smd_after",
    "imbalanced_after",
]
SMD_THRESHOLD = 0.1
_CHUNK = 256


# --- the matcher -------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    """A distance between counties' covariate rows.

    standardized: sqrt(sum_k ((a_k - b_k) / sd_k)^2), sd_k the covariate's
    standard deviation in the sample; mahalanobis: sqrt(d' S^-1 d) for the
    difference d and the sample covariance S. Both are computed from the raw
    difference, so two comparison counties equally far in the data are equally
    far here, bit for bit, and the FIPS tie rule decides between them.
    """

    kind: str
    columns: tuple[int, ...]  # covariates kept (non-constant)
    scale: np.ndarray | None = None  # standardized: the SDs
    whiten: np.ndarray | None = None  # mahalanobis: inverse Cholesky factor of S

    @classmethod
    def fit(cls, X: np.ndarray, kind: str = "standardized") -> Metric:
        check_choice("metric", kind, METRICS)
        sd = X.std(axis=0, ddof=1)
        kept = tuple(k for k in range(X.shape[1]) if sd[k] > 0)
        if not kept:
            raise EstimationError("every matching covariate is constant in this sample")
        if kind == "standardized":
            return cls(kind, kept, scale=sd[list(kept)])
        cov = np.atleast_2d(np.cov(X[:, list(kept)], rowvar=False))
        try:
            lower = np.linalg.cholesky(cov)
        except np.linalg.LinAlgError:
            raise EstimationError(
                "the covariates are collinear: Mahalanobis distance is undefined"
            ) from None
        return cls(kind, kept, whiten=np.linalg.inv(lower))

    def coordinates(self, X: np.ndarray) -> np.ndarray:
        """Rows mapped so that Euclidean distance approximates this metric
        (used only to find candidates quickly)."""
        return X / self.scale if self.kind == "standardized" else X @ self.whiten.T

    def exact(self, A: np.ndarray, B: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Squared distances from row i of A to rows cols[i] of B (A and B
        hold the kept covariates), summed in a fixed order."""
        D = np.zeros(cols.shape)
        if self.kind == "standardized":
            for k in range(A.shape[1]):
                diff = (A[:, k, None] - B[cols, k]) / self.scale[k]
                D += diff * diff
            return D
        diffs = [A[:, k, None] - B[cols, k] for k in range(A.shape[1])]
        for j in range(A.shape[1]):
            t = sum(self.whiten[j, k] * diffs[k] for k in range(A.shape[1]))
            D += t * t
        return D

    def all_pairs(self, A: np.ndarray, B: np.ndarray) -> np.ndarray:
        return self.exact(A, B, np.broadcast_to(np.arange(len(B)), (len(A), len(B))))


def nearest(
    A: np.ndarray, B: np.ndarray, k: int, metric: Metric, exclude: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The k rows of B nearest to each row of A, ordered by exact squared
    distance and then by position in B (the tie rule). `exclude[i]` is a
    position in B that row i may not take (itself), or -1.

    Candidates come from the fast expansion |a|^2 + |b|^2 - 2ab on transformed
    coordinates, which has rounding error; they are re-measured exactly, and a
    row where any other row of B comes within that error of the k-th distance
    is measured exactly against every row of B. The result is what a plain
    double loop over the exact distance gives.
    """
    n1, n0 = len(A), len(B)
    k = min(k, n0 - (exclude is not None))
    index = np.empty((n1, max(k, 0)), dtype=np.int64)
    dist2 = np.empty((n1, max(k, 0)))
    if n1 == 0 or k <= 0:
        return index, dist2
    centre = B.mean(axis=0)
    ZA, ZB = metric.coordinates(A - centre), metric.coordinates(B - centre)
    b2 = np.einsum("ij,ij->i", ZB, ZB)
    for start in range(0, n1, _CHUNK):
        rows = np.arange(start, min(start + _CHUNK, n1))
        local = np.arange(len(rows))
        za = ZA[rows]
        a2 = np.einsum("ij,ij->i", za, za)
        approx = (-2 * za) @ ZB.T
        approx += b2
        approx += a2[:, None]
        if exclude is not None:
            own = exclude[rows]
            has = own >= 0
            approx[local[has], own[has]] = np.inf
        cand = np.empty((len(rows), k), dtype=np.int64)
        for m in range(k):
            cand[:, m] = approx.argmin(axis=1)
            approx[local, cand[:, m]] = np.inf
        exact = metric.exact(A[rows], B, cand)
        order = np.lexsort((cand, exact), axis=-1)
        chosen = np.take_along_axis(cand, order, axis=1)
        chosen_d = np.take_along_axis(exact, order, axis=1)
        # The expansion's rounding error is a few ulps of |a|^2 + |b|^2.
        slack = 1e-9 * (1 + a2 + b2.max()) + 1e-9 * chosen_d[:, -1]
        rivals = (approx <= (chosen_d[:, -1] + slack)[:, None]).any(axis=1)
        for r in np.flatnonzero(rivals):
            full = metric.all_pairs(A[rows[[r]]], B)[0]
            if exclude is not None and own[r] >= 0:
                full[own[r]] = np.inf
            best = np.lexsort((np.arange(n0), full))[:k]
            chosen[r], chosen_d[r] = best, full[best]
        index[rows], dist2[rows] = chosen, chosen_d
    return index, dist2


def nearest_neighbours(
    focal: np.ndarray,
    control: np.ndarray,
    metric: Metric,
    n_neighbours: int = 1,
    replacement: bool = True,
    caliper: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Match rows of `focal` to rows of `control` (both in FIPS order; both
    holding the metric's kept covariates).

    Returns (index, distance), each of shape (len(focal), n_neighbours):
    positions in `control` of each focal row's matches, nearest first, and
    their distances; -1 and NaN where there is no (further) match.
    """
    n1, n0 = len(focal), len(control)
    index = np.full((n1, n_neighbours), -1, dtype=np.int64)
    dist2 = np.full((n1, n_neighbours), np.nan)
    limit = math.inf if caliper is None else caliper * caliper
    if n1 == 0 or n0 == 0:
        return index, dist2
    if replacement:
        found, d = nearest(focal, control, n_neighbours, metric)
        ok = d <= limit
        width = found.shape[1]
        index[:, :width] = np.where(ok, found, -1)
        dist2[:, :width] = np.where(ok, d, np.nan)
    else:
        D = metric.all_pairs(focal, control)
        order = np.argsort(D.min(axis=1), kind="stable")
        for i in order:
            for m in range(n_neighbours):
                j = int(D[i].argmin())
                d = D[i, j]
                if not d <= limit:  # also stops when every comparison row is taken (inf)
                    break
                index[i, m], dist2[i, m] = j, d
                D[:, j] = np.inf
    return index, np.sqrt(dist2)


def _cells(sample: Sample, exact: tuple[str, ...]) -> list[np.ndarray]:
    """Positions of the sample split by the values of the exact-match columns."""
    if not exact:
        return [np.arange(len(sample.y))]
    keys = np.column_stack([sample.extra[c] for c in exact])
    _, codes = np.unique(keys, axis=0, return_inverse=True)
    codes = codes.ravel()
    return [np.flatnonzero(codes == c) for c in range(codes.max() + 1)]


@dataclass
class Matching:
    """Matches of one sample: for focal position i, control positions
    `index[i]` (-1 = none) in the sample's arrays."""

    focal: np.ndarray  # sample positions of focal counties
    index: np.ndarray  # sample positions of matched comparison counties, -1 none
    distance: np.ndarray
    X: np.ndarray  # the metric's covariates for the whole sample
    metric: Metric
    cells: list[np.ndarray]

    @property
    def matched(self) -> np.ndarray:
        return (self.index >= 0).any(axis=1)


def match_sample(
    sample: Sample,
    n_neighbours: int = 1,
    replacement: bool = True,
    caliper: float | None = None,
    exact: tuple[str, ...] = (),
    metric: str = "standardized",
) -> Matching:
    if sample.X.shape[1] == 0:
        raise EstimationError("matching needs at least one covariate")
    measure = Metric.fit(sample.X, metric)
    X = sample.X[:, list(measure.columns)]
    focal_pos = np.flatnonzero(sample.treated)
    where = {p: i for i, p in enumerate(focal_pos)}
    index = np.full((len(focal_pos), n_neighbours), -1, dtype=np.int64)
    distance = np.full((len(focal_pos), n_neighbours), np.nan)
    cells = _cells(sample, exact)
    for cell in cells:
        f = cell[sample.treated[cell]]
        c = cell[~sample.treated[cell]]
        idx, dist = nearest_neighbours(X[f], X[c], measure, n_neighbours, replacement, caliper)
        rows = [where[p] for p in f]
        index[rows] = np.where(idx >= 0, c[np.maximum(idx, 0)], -1)
        distance[rows] = dist
    return Matching(focal_pos, index, distance, X, measure, cells)


# --- estimate and errors --------------------------------------------------------------


def _weights(matching: Matching, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per matched focal county its number of matches; per sample position the
    match weights K (sum of 1/n_i) and K' (sum of 1/n_i^2)."""
    valid = matching.index[matching.matched] >= 0
    counts = valid.sum(axis=1)
    targets = matching.index[matching.matched][valid]
    share = np.repeat(1 / counts, counts)
    K = np.bincount(targets, share, minlength=n)
    K2 = np.bincount(targets, share**2, minlength=n)
    return counts, K, K2


def _imputed(sample: Sample, matching: Matching) -> np.ndarray:
    """Mean outcome of each matched focal county's matched set."""
    index = matching.index[matching.matched]
    values = np.where(index >= 0, sample.y[np.maximum(index, 0)], np.nan)
    return np.nanmean(values, axis=1)


def _conditional_variances(
    sample: Sample,
    matching: Matching,
    targets: np.ndarray,
    neighbours: int,
    memo: dict | None = None,
    key: tuple = (),
) -> np.ndarray:
    """Abadie-Imbens s2 for comparison positions `targets`: J/(J+1) times the
    squared gap between the county's outcome and the mean of its J nearest
    other comparison counties (within its exact cell when the cell has more
    than J of them, else among all)."""
    out = np.full(len(targets), np.nan)
    controls = np.flatnonzero(~sample.treated)
    cell_of = np.empty(len(sample.y), dtype=np.int64)
    for c, cell in enumerate(matching.cells):
        cell_of[cell] = c
    for c in np.unique(cell_of[targets]):
        which = np.flatnonzero(cell_of[targets] == c)
        pool = controls[cell_of[controls] == c]
        if len(pool) <= neighbours:
            pool = controls
        if len(pool) < 2:
            continue
        memo_key = (*key, "s2", neighbours, int(c))
        found = None if memo is None else memo.get(memo_key)
        if found is None:
            own = np.searchsorted(pool, targets[which])  # targets are controls of the pool
            own = np.where(pool[np.minimum(own, len(pool) - 1)] == targets[which], own, -1)
            found, _ = nearest(
                matching.X[targets[which]], matching.X[pool], neighbours, matching.metric, own
            )
            if memo is not None:
                memo[memo_key] = found
        J = found.shape[1]
        means = sample.y[pool[found]].mean(axis=1)
        out[which] = J / (J + 1) * (sample.y[targets[which]] - means) ** 2
    return out


def balance_rows(
    design: Design, sample: Sample, matching: Matching, K: np.ndarray, columns: tuple[str, ...]
) -> list[dict]:
    """Standardised mean differences before and after matching. The
    denominator is the same in both, sqrt((var_focal + var_comparison) / 2)
    over the sample before matching; after matching the comparison mean
    weighs each county by how often it is used."""
    rows = []
    focal_all = sample.treated
    focal_matched = np.zeros_like(focal_all)
    focal_matched[matching.focal[matching.matched]] = True
    for name in columns:
        x = (
            sample.extra[name]
            if name in sample.extra
            else sample.X[:, sample.covariates.index(name)]
        )
        xt, xc = x[focal_all], x[~focal_all]
        sd = math.sqrt((xt.var(ddof=1) + xc.var(ddof=1)) / 2)
        mean_after_t = x[focal_matched].mean() if focal_matched.any() else math.nan
        mean_after_c = (K @ x / K.sum()) if K.sum() > 0 else math.nan
        before = (xt.mean() - xc.mean()) / sd if sd > 0 else math.nan
        after = (mean_after_t - mean_after_c) / sd if sd > 0 else math.nan
        rows.append(
            {
                "definition": design.groups.definition,
                "comparison": design.groups.comparison,
                "year": design.year,
                "outcome": sample.outcome,
                "covariate": name,
                "mean_focal": float(xt.mean()),
                "mean_comparison": float(xc.mean()),
                "mean_focal_matched": float(mean_after_t),
                "mean_comparison_matched": float(mean_after_c),
                "sd_pooled": sd,
                "smd_before": float(before),
                "smd_after": float(after),
                "imbalanced_before": bool(abs(before) > SMD_THRESHOLD),
                "imbalanced_after": bool(abs(after) > SMD_THRESHOLD),
            }
        )
    return rows


def match_rows(
    design: Design,
    outcome: str,
    covariates: tuple[str, ...],
    covariate_label: str,
    n_neighbours: int = 1,
    replacement: bool = True,
    caliper: float | None = None,
    exact: tuple[str, ...] = (),
    metric: str = "standardized",
    se: str = "abadie-imbens",
    n_boot: int = 1000,
    variance_neighbours: int = 2,
    seed: int = 0,
    level: float = 0.95,
    details: list | None = None,
) -> list[dict]:
    check_choice("metric", metric, METRICS)
    check_choice("standard error", se, SE_METHODS)
    if n_neighbours < 1:
        raise AnalysisError(f"n_neighbours must be at least 1, got {n_neighbours}")
    if se == "bootstrap" and n_boot < 2:
        raise AnalysisError(f"n_boot must be at least 2, got {n_boot}")
    exact = tuple(exact)
    for column in exact:
        check_choice("exact-match column", column, COVARIATES)
    sample = design.sample(outcome, covariates, extra=exact)
    options = {
        "weights": "none",
        "covariates": covariate_label,
        "n_neighbours": n_neighbours,
        "replacement": replacement,
        "caliper": caliper if caliper is not None else np.nan,
        "exact": "+".join(exact),
        "metric": metric,
    }
    try:
        sample.require(2)
        # Outcomes with the same missing counties share their matches.
        key = (
            "match",
            sample.ids.tobytes(),
            sample.covariates,
            n_neighbours,
            replacement,
            caliper,
            exact,
            metric,
        )
        matching = design.memo.get(key)
        if matching is None:
            matching = design.memo[key] = match_sample(
                sample, n_neighbours, replacement, caliper, exact, metric
            )
        n_matched = int(matching.matched.sum())
        if n_matched == 0:
            one = design.groups.unit.singular
            raise EstimationError(
                f"no focal {one} has a comparison {one} within the caliper"
                " (or in its exact-match cell)"
            )
        _, K, K2 = _weights(matching, len(sample.y))
        y_focal = sample.y[matching.focal[matching.matched]]
        effects = y_focal - _imputed(sample, matching)
        estimate = float(effects.mean())
        if se == "abadie-imbens":
            factor = K**2 - K2
            targets = np.flatnonzero(factor > 1e-12)
            s2 = _conditional_variances(
                sample, matching, targets, variance_neighbours, design.memo, key
            )
            if np.isnan(s2).any():
                one = design.groups.unit.singular
                raise EstimationError(
                    "a conditional variance cannot be estimated: a reused "
                    f"comparison {one} has no other comparison {one}"
                )
            variance = (np.sum((effects - estimate) ** 2) + factor[targets] @ s2) / n_matched**2
            std_error = math.sqrt(variance)
            low, high, p = interval(estimate, std_error, level)
            se_method = (
                f"Abadie-Imbens (population ATT), conditional variances from "
                f"{variance_neighbours} neighbours; normal"
            )
        else:
            rng = np.random.default_rng(seed)
            draws = effects[rng.integers(0, n_matched, size=(n_boot, n_matched))].mean(axis=1)
            std_error = float(draws.std(ddof=1))
            alpha = 1 - level
            low, high = (float(v) for v in np.quantile(draws, [alpha / 2, 1 - alpha / 2]))
            below = (1 + np.count_nonzero(draws <= 0)) / (n_boot + 1)
            above = (1 + np.count_nonzero(draws >= 0)) / (n_boot + 1)
            p = min(1.0, 2 * min(below, above))
            se_method = (
                f"bootstrap over matched sets ({n_boot} draws, seed {seed}); "
                "percentile interval and p-value"
            )
        sensitivity = _sensitivity(effects, estimate, std_error, sample)
        balance = balance_rows(design, sample, matching, K, (*sample.covariates, *exact))
        smd_after = np.array([b["smd_after"] for b in balance])
        if details is not None:
            details.extend(balance)
        n_unmatched = int(sample.n_focal - n_matched)
        note = (
            f"{n_unmatched} focal {design.groups.unit.plural} without a match within the "
            "caliper/exact cell "
            "are left out"
            if n_unmatched
            else ""
        )
        return [
            design.base_row(
                sample,
                outcome,
                "match",
                estimand="ATT"
                if not n_unmatched
                else f"ATT of the matched focal {design.groups.unit.plural}",
                estimate=estimate,
                std_error=std_error,
                ci_low=low,
                ci_high=high,
                p_value=p,
                se_method=se_method,
                note=note,
                **options,
                n_unmatched=n_unmatched,
                n_comparisons_used=int(np.count_nonzero(K)),
                max_comparison_reuse=int(np.max(np.bincount(matching.index[matching.index >= 0])))
                if (matching.index >= 0).any()
                else 0,
                mean_match_distance=float(np.nanmean(matching.distance)),
                **sensitivity,
                max_abs_smd_after=float(np.nanmax(np.abs(smd_after))),
                n_imbalanced_after=int(np.count_nonzero(np.abs(smd_after) > SMD_THRESHOLD)),
            )
        ]
    except EstimationError as exc:
        # Every match row has the sensitivity columns, estimated or not.
        failed = design.failed_row(sample, outcome, "match", exc, estimand="ATT", **options)
        return [{**failed, **NO_SENSITIVITY}]


NO_SENSITIVITY = {"rosenbaum_gamma": np.nan, "e_value": np.nan, "e_value_ci": np.nan}


def _sensitivity(effects: np.ndarray, estimate: float, std_error: float, sample: Sample) -> dict:
    """How strong a hidden confounder would have to be (analysis.compare.sensitivity):
    Rosenbaum's Gamma for the matched sets' differences (each focal unit minus its
    matches' mean), in the direction of the estimate, and the E-value of the estimate
    and of its interval's limit nearest zero, standardised by the outcome's standard
    deviation among the compared units."""
    found = dict(NO_SENSITIVITY)
    try:
        found["rosenbaum_gamma"] = sensitivity_gamma(effects)
        e_values = e_value_md(estimate, std_error, float(np.std(sample.y, ddof=1)))
        found["e_value"] = float(e_values.loc["point", "E_value"])
        found["e_value_ci"] = float(e_values[["E_value"]].iloc[1:].min(skipna=True).iloc[0])
    except (AnalysisError, EstimationError, ValueError):
        pass  # too few differences, or no spread: the row says nothing rather than guess
    return found


def matched_pairs(design: Design, sample: Sample, matching: Matching) -> list[dict]:
    """One row per focal county and match rank: who was matched to whom."""
    rows = []
    for i, pos in enumerate(matching.focal):
        for m in range(matching.index.shape[1]):
            j = matching.index[i, m]
            rows.append(
                {
                    "fips_focal": sample.ids[pos],
                    "rank": m + 1,
                    "fips_comparison": sample.ids[j] if j >= 0 else None,
                    "distance": float(matching.distance[i, m]),
                }
            )
    return rows


@dataclass(frozen=True)
class MatchOptions:
    n_neighbours: int = option(1, "matches per focal unit", flag="--neighbours", metavar="K")
    replacement: bool = option(
        True, "each comparison unit used at most once", flag="--without-replacement"
    )
    caliper: float | None = option(None, "largest distance allowed", metavar="D")
    exact: tuple[str, ...] = option(
        (), "match exactly on this column, e.g. nchs_urban_rural_2013", metavar="COLUMN"
    )
    metric: str = option("standardized", "the distance", choices=METRICS)
    se: str = option("abadie-imbens", "the standard error", choices=SE_METHODS)
    n_boot: int = option(1000, "bootstrap draws (se bootstrap)", metavar="N")
    variance_neighbours: int = option(
        2, "neighbours behind each conditional variance (Abadie-Imbens)", metavar="J"
    )
    seed: int = option(0, "random seed")
    level: float = level_option()

    def __post_init__(self):
        check_level(self.level)


MATCH = MethodSpec(
    "match",
    "nearest-neighbour matching on covariates, ATT",
    MatchOptions,
    match_rows,
    year_design,
    covariates=True,
    details="balance",
    details_name="balance",
)
