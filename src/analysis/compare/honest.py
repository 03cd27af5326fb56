"""Confidence intervals for an event-study effect that stay valid when parallel
trends fails by a bounded amount: the relative-magnitudes bounds of Rambachan
and Roth (2023), "A More Credible Approach to Parallel Trends", Review of
Economic Studies 90(5), 2555-2591, doi:10.1093/restud/rdad018.

The method. An event study gives coefficients betahat = tau + delta: the
effect tau (zero before the policy) plus the difference in trends delta
between the sanctuary and comparison counties, both measured from the
reference period, whose coefficient is normalised to zero and left out.
Parallel trends says delta = 0 after the policy; the pre-period coefficients
show how far it failed before. Delta^RM(Mbar) allows every post-period
one-period change in delta to be as large as Mbar times the largest
one-period change before the policy:

    |delta_t - delta_(t-1)| <= Mbar * max_(s <= 0) |delta_s - delta_(s-1)|   for t >= 1.

Mbar = 0 is exact parallel trends after the policy; Mbar = 1 allows a
post-policy violation as large as the worst pre-policy one. The target is
theta = l_vec' tau_post (by default the average of the post-period effects).

Inference. The set Delta^RM(Mbar) is the union, over the pre-period change s
that attains the maximum and over its sign, of polyhedra {A delta <= 0}. For
each piece, theta0 is tested with the conditional test of Andrews, Roth and
Pakes (2023) for moment inequalities with nuisance parameters, in its hybrid
with the least-favourable test ("C-LF": first-stage size alpha/10, the
conditional test at the remaining size); theta0 is in the interval when any
piece accepts it. As in the R package, only the moments that involve
post-period coefficients are tested, the least-favourable critical value is
simulated (10,000 draws by default; R uses 1,000 with its own generator), and
the interval is read off a grid of theta values: by default
the R package's 1,000 points on [-20, 20] standard errors of l_vec'betahat_post
around zero, so results line up with it point for point. The grid is widened,
in the same steps, while the accepted set touches an end of it.

Computation. The test statistic, eta = min over nuisance parameters of the
largest standardised moment, is a linear program whose dual feasible set
{lambda >= 0, sd'lambda = 1, X'lambda = 0} depends on neither theta nor
betahat: eta = max over the vertices of that polytope of lambda'y. The vertices
are enumerated once (all bases of size k + 1, k = post periods - 1; once per
event-study shape, as X holds no Mbar and sd only scales them), so the
statistic, its conditioning event (the optimal vertex stays optimal) and the
truncation points are closed-form for every grid point and every simulated
draw at once, with no solver. This is the dual approach of the R package,
with the bisection on the truncation points replaced by their exact values.

Assumptions. betahat is asymptotically normal with covariance sigma; the
coefficients are for consecutive periods, pre-periods first (earliest first),
then post-periods, with the reference period (the last one before the policy)
left out. With more than ten post-periods the vertex enumeration gets too
large and an error says so.

Checked (tests/test_compare_sensitivity.py) against the Medicaid-expansion
example printed in the READMEs of the R package and of its Stata port, and
against R's output for the Benzarti-Carloni event study shipped with it.

Reference implementation: the R package HonestDiD (Rambachan and Roth,
https://github.com/asheshrambachan/HonestDiD), functions
createSensitivityResults_relativeMagnitudes and computeConditionalCS_DeltaRM.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from ..core.errors import AnalysisError, EstimationError

METHOD = "C-LF"
DEFAULT_MBAR_GRID = (0.0, 0.5, 1.0, 1.5, 2.0)
RESULT_COLUMNS = ["Mbar", "lb", "ub", "method"]

# The R package's grid: 1,000 points on +/- 20 standard errors. It draws 1,000
# times for the least-favourable critical value (a 0.995 quantile, so about five
# draws decide it); 10,000 draws cost little here and move the bounds less from
# one seed to the next.
GRID_POINTS = 1000
GRID_HALF_WIDTH_SE = 20.0
LF_SIMULATIONS = 10_000
# Bases tried when enumerating dual vertices (ten post-periods need 184,756),
# solved in chunks to bound memory.
MAX_BASES = 200_000
BASES_PER_CHUNK = 20_000
# The grid is widened at most this many times on each side (each time by the
# original grid's length) before the bound is reported as infinite.
MAX_WIDENINGS = 20


@dataclass(frozen=True)
class _Inputs:
    """Checked inputs: coefficients, covariance and the target weights."""

    betahat: np.ndarray
    sigma: np.ndarray
    num_pre_periods: int
    num_post_periods: int
    l_vec: np.ndarray

    @property
    def theta_hat(self) -> float:
        return float(self.l_vec @ self.betahat[self.num_pre_periods :])

    @property
    def theta_se(self) -> float:
        post = slice(self.num_pre_periods, None)
        return float(math.sqrt(self.l_vec @ self.sigma[post, post] @ self.l_vec))


def _checked_inputs(
    betahat: Sequence[float] | np.ndarray,
    sigma: Sequence[Sequence[float]] | np.ndarray,
    num_pre_periods: int,
    num_post_periods: int,
    l_vec: Sequence[float] | np.ndarray | None = None,
) -> _Inputs:
    """Check and bundle the inputs (l_vec defaults to the average of the
    post-period effects)."""
    beta = np.asarray(betahat, dtype=float).ravel()
    cov = np.asarray(sigma, dtype=float)
    n_pre, n_post = int(num_pre_periods), int(num_post_periods)
    if n_pre < 1 or n_post < 1:
        raise AnalysisError(
            f"relative-magnitudes bounds need at least one pre-period and one post-period "
            f"coefficient; got {n_pre} pre and {n_post} post. Pass the event-study "
            "coefficients with the reference period left out."
        )
    if beta.size != n_pre + n_post:
        raise AnalysisError(
            f"betahat has {beta.size} coefficients but num_pre_periods + num_post_periods "
            f"= {n_pre + n_post}; pass only the event-study coefficients (reference period "
            "left out, controls dropped), pre-periods first."
        )
    if cov.shape != (beta.size, beta.size):
        raise AnalysisError(
            f"sigma has shape {cov.shape}, expected {(beta.size, beta.size)}: pass the "
            "covariance of exactly the coefficients in betahat."
        )
    if not (np.all(np.isfinite(beta)) and np.all(np.isfinite(cov))):
        raise EstimationError(
            "betahat or sigma has missing or infinite values; the event study has a "
            "period without an estimate. Drop that period or choose another outcome."
        )
    scale = max(float(np.max(np.abs(cov))), np.finfo(float).tiny)
    if np.max(np.abs(cov - cov.T)) > 1e-8 * scale:
        raise EstimationError("sigma is not symmetric; pass the coefficients' covariance matrix.")
    if np.linalg.eigvalsh((cov + cov.T) / 2).min() < -1e-8 * scale:
        raise EstimationError(
            "sigma is not positive semi-definite; pass the coefficients' covariance matrix "
            "(a multi-way clustered covariance can fail this)."
        )
    weights = np.full(n_post, 1.0 / n_post) if l_vec is None else np.asarray(l_vec, float).ravel()
    if weights.size != n_post or not np.all(np.isfinite(weights)) or not weights.any():
        raise AnalysisError(
            f"l_vec must give {n_post} finite weights, not all zero (one per post-period "
            f"coefficient); got {weights.tolist()}."
        )
    event = _Inputs(beta, (cov + cov.T) / 2, n_pre, n_post, weights)
    if not event.theta_se > 0:
        raise EstimationError("l_vec' betahat_post has zero variance; check sigma and l_vec.")
    return event


def original_interval(
    betahat: Sequence[float] | np.ndarray,
    sigma: Sequence[Sequence[float]] | np.ndarray,
    num_pre_periods: int,
    num_post_periods: int,
    l_vec: Sequence[float] | np.ndarray | None = None,
    alpha: float = 0.05,
) -> tuple[float, float]:
    """The usual (1 - alpha) interval for l_vec' tau_post, assuming parallel
    trends holds exactly (R: constructOriginalCS)."""
    _check_alpha(alpha)
    event = _checked_inputs(betahat, sigma, num_pre_periods, num_post_periods, l_vec)
    half = NormalDist().inv_cdf(1 - alpha / 2) * event.theta_se
    return event.theta_hat - half, event.theta_hat + half


def relative_magnitudes_intervals(
    betahat: Sequence[float] | np.ndarray,
    sigma: Sequence[Sequence[float]] | np.ndarray,
    num_pre_periods: int,
    num_post_periods: int,
    l_vec: Sequence[float] | np.ndarray | None = None,
    mbar_grid: Sequence[float] = DEFAULT_MBAR_GRID,
    alpha: float = 0.05,
    *,
    grid_points: int = GRID_POINTS,
    grid_bounds: tuple[float, float] | None = None,
    lf_simulations: int = LF_SIMULATIONS,
    seed: int = 0,
) -> pd.DataFrame:
    """Robust (1 - alpha) intervals for l_vec' tau_post under Delta^RM(Mbar),
    one row per Mbar: columns Mbar, lb, ub, method ("C-LF").

    betahat: event-study coefficients, pre-periods first (earliest first), the
    reference period left out, then post-periods; sigma: their covariance.
    l_vec: weights of the post-period effects (default: their average).
    grid_points, grid_bounds: the theta grid of the test inversion (default,
    as in the R package: 1,000 points on +/- 20 standard errors of
    l_vec' betahat_post around zero); lf_simulations, seed: draws for the
    least-favourable critical value. A bound the widened grid never reaches
    is reported as -inf or inf; lb and ub are NaN when no grid point is
    accepted (the data reject the restriction at this Mbar).
    """
    _check_alpha(alpha)
    event = _checked_inputs(betahat, sigma, num_pre_periods, num_post_periods, l_vec)
    rows = []
    for mbar in mbar_grid:
        lb, ub = _robust_interval(
            event, float(mbar), alpha, grid_points, grid_bounds, lf_simulations, seed
        )
        rows.append((float(mbar), lb, ub, METHOD))
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


def robust_interval(
    betahat: Sequence[float] | np.ndarray,
    sigma: Sequence[Sequence[float]] | np.ndarray,
    num_pre_periods: int,
    num_post_periods: int,
    mbar: float,
    l_vec: Sequence[float] | np.ndarray | None = None,
    alpha: float = 0.05,
    *,
    grid_points: int = GRID_POINTS,
    grid_bounds: tuple[float, float] | None = None,
    lf_simulations: int = LF_SIMULATIONS,
    seed: int = 0,
) -> tuple[float, float]:
    """(lb, ub) of the robust interval at one Mbar; see relative_magnitudes_intervals."""
    _check_alpha(alpha)
    event = _checked_inputs(betahat, sigma, num_pre_periods, num_post_periods, l_vec)
    return _robust_interval(
        event, float(mbar), alpha, grid_points, grid_bounds, lf_simulations, seed
    )


def breakdown_mbar(
    betahat: Sequence[float] | np.ndarray,
    sigma: Sequence[Sequence[float]] | np.ndarray,
    num_pre_periods: int,
    num_post_periods: int,
    l_vec: Sequence[float] | np.ndarray | None = None,
    alpha: float = 0.05,
    *,
    mbar_max: float = 10.0,
    tolerance: float = 0.01,
    grid_points: int = GRID_POINTS,
    grid_bounds: tuple[float, float] | None = None,
    lf_simulations: int = LF_SIMULATIONS,
    seed: int = 0,
    known: dict[float, bool] | None = None,
) -> float | None:
    """The breakdown value: the smallest Mbar at which the robust interval
    includes zero, to within `tolerance` (the value returned is the end of the
    bracket where zero is included). 0.0 when the interval includes zero
    already under exact parallel trends (Mbar = 0); None when it still excludes
    zero at mbar_max (the conclusion survives violations up to mbar_max times
    the largest pre-period one).

    Found by bisection, which presumes the intervals grow with Mbar (the sets
    Delta^RM(Mbar) are nested, so they do up to simulation and grid error).
    `known` ({Mbar: whether its interval includes zero}, e.g. from the intervals
    of a grid already computed with the same settings) narrows the bracket the
    bisection starts from.
    """
    _check_alpha(alpha)
    if not (mbar_max > 0 and tolerance > 0):
        raise AnalysisError("mbar_max and tolerance must be positive.")
    event = _checked_inputs(betahat, sigma, num_pre_periods, num_post_periods, l_vec)

    known = {float(m): bool(z) for m, z in (known or {}).items() if 0 <= m <= mbar_max}

    def includes_zero(mbar: float) -> bool:
        if mbar in known:
            return known[mbar]
        lb, ub = _robust_interval(
            event, mbar, alpha, grid_points, grid_bounds, lf_simulations, seed
        )
        # An empty set (NaN bounds) excludes zero, like every other value.
        return bool(lb <= 0 <= ub)

    if includes_zero(0.0):
        return 0.0
    including = [m for m, zero in known.items() if zero]
    if not including and not includes_zero(mbar_max):
        return None
    high = min(including, default=float(mbar_max))
    low = max((m for m, zero in known.items() if not zero and m < high), default=0.0)
    while high - low > tolerance:
        middle = (low + high) / 2
        if includes_zero(middle):
            high = middle
        else:
            low = middle
    return high


# --- the test ------------------------------------------------------------------


def _check_alpha(alpha: float) -> None:
    if not 0 < alpha < 1:
        raise AnalysisError(f"alpha must be between 0 and 1, got {alpha}.")


def _robust_interval(
    event: _Inputs,
    mbar: float,
    alpha: float,
    grid_points: int,
    grid_bounds: tuple[float, float] | None,
    lf_simulations: int,
    seed: int,
) -> tuple[float, float]:
    if not (np.isfinite(mbar) and mbar >= 0):
        raise AnalysisError(f"Mbar must be a finite number >= 0, got {mbar}.")
    if grid_points < 2 or lf_simulations < 10:
        raise AnalysisError("grid_points must be at least 2 and lf_simulations at least 10.")
    if grid_bounds is None:
        half = GRID_HALF_WIDTH_SE * event.theta_se
        grid_bounds = (-half, half)
    low, high = (float(b) for b in grid_bounds)
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise AnalysisError(
            f"grid_bounds must be two finite numbers, low < high; got {grid_bounds}."
        )
    tests = [
        _PieceTest(event, mbar, s, positive, alpha, lf_simulations, seed)
        for s in range(-(event.num_pre_periods - 1), 1)
        for positive in (True, False)
    ]

    def accepted(thetas: np.ndarray) -> np.ndarray:
        return np.logical_or.reduce([test.accepts(thetas) for test in tests])

    grid = np.linspace(low, high, grid_points)
    step = grid[1] - grid[0]
    accept = accepted(grid)
    if not accept.any():
        return math.nan, math.nan
    # Widen the grid in the same steps (so the original points, and results
    # comparable with the R package, are kept) while an end is accepted.
    for _ in range(MAX_WIDENINGS):
        if not accept[0]:
            break
        extra = grid[0] - step * np.arange(grid_points, 0, -1)
        grid, accept = np.concatenate([extra, grid]), np.concatenate([accepted(extra), accept])
    for _ in range(MAX_WIDENINGS):
        if not accept[-1]:
            break
        extra = grid[-1] + step * np.arange(1, grid_points + 1)
        grid, accept = np.concatenate([grid, extra]), np.concatenate([accept, accepted(extra)])
    lb = -math.inf if accept[0] else float(grid[accept].min())
    ub = math.inf if accept[-1] else float(grid[accept].max())
    return lb, ub


def _relative_magnitude_moments(
    num_pre: int, num_post: int, mbar: float, s: int, positive: bool
) -> np.ndarray:
    """Rows a of A (A delta <= 0) for one piece of Delta^RM(Mbar): the pre-period
    change delta_s - delta_(s-1) (s = -(num_pre - 1), ..., 0) is the largest in
    absolute value and has sign +/-. Only the rows involving post-period
    coefficients are kept, as the R package tests them (postPeriodMomentsOnly)."""
    periods = num_pre + num_post
    # Columns: delta_(-num_pre), ..., delta_(-1), delta_0 (the reference), delta_1, ...
    changes = np.zeros((periods, periods + 1))
    for row in range(periods):
        changes[row, row : row + 2] = (-1.0, 1.0)
    largest = np.zeros(periods + 1)
    largest[num_pre + s - 1 : num_pre + s + 1] = (-1.0, 1.0)
    if not positive:
        largest = -largest
    bound = np.vstack([np.tile(largest, (num_pre, 1)), np.tile(mbar * largest, (num_post, 1))])
    A = np.vstack([changes - bound, -changes - bound])
    A = np.delete(A, num_pre, axis=1)  # delta_0 = 0 by normalisation
    involves_post = np.abs(A[:, num_pre:]).sum(axis=1) > 0
    return A[involves_post]


def _dual_vertices(sd: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Vertices of {lambda >= 0, sd'lambda = 1, X'lambda = 0}, one per row.

    They are the extreme rays of the cone {lambda >= 0, X'lambda = 0}, scaled so
    that sd'lambda = 1 (sd > 0): only the scaling depends on sd. The rays depend
    on X alone, which is the same for every Mbar, piece and outcome of an event
    study of one shape (the post-period columns of A hold no Mbar), so they are
    enumerated once per X."""
    rays = _extreme_rays(np.ascontiguousarray(X, dtype=float).tobytes(), X.shape)
    return rays / (rays @ sd)[:, None]


@functools.lru_cache(maxsize=16)
def _extreme_rays(x_bytes: bytes, shape: tuple[int, int]) -> np.ndarray:
    """Extreme rays of {lambda >= 0, X'lambda = 0}, scaled to sum to one.

    Each is a basic feasible solution of {lambda >= 0, 1'lambda = 1, X'lambda = 0}:
    k + 1 moments (k = columns of X) whose [1, X] rows are invertible, solved for
    lambda'[1, X] = e1 (a ray with sum(lambda) = 1 scales to sd'lambda = 1 for any
    sd > 0, and a basis whose solution has mixed signs is infeasible for every sd)."""
    X = np.frombuffer(x_bytes).reshape(shape)
    W = np.column_stack([np.ones(len(X)), X])
    m, size = W.shape
    n_bases = math.comb(m, size)
    if n_bases > MAX_BASES:
        raise EstimationError(
            f"{n_bases:,} candidate bases: too many post-periods for the relative-magnitudes "
            "test. Use fewer post-periods (e.g. bin later years) or a shorter window."
        )
    # Column scaling changes no basis' invertibility but makes one threshold fit all.
    scaled = W / np.abs(W).max(axis=0)
    combinations = itertools.combinations(range(m), size)
    found = []
    while chunk := list(itertools.islice(combinations, BASES_PER_CHUNK)):
        bases = np.array(chunk)
        # Invertible bases, by the determinant against Hadamard's bound (the product of
        # the rows' lengths): an LU per basis, several times faster than singular values.
        blocks_scaled = scaled[bases]
        sign, log_det = np.linalg.slogdet(blocks_scaled)
        log_bound = np.log(np.linalg.norm(blocks_scaled, axis=2)).sum(axis=1)
        bases = bases[(sign != 0) & (log_det > log_bound + math.log(1e-10))]
        if not len(bases):
            continue
        target = np.zeros((len(bases), size, 1))
        target[:, 0, 0] = 1.0
        blocks = np.transpose(W[bases], (0, 2, 1))
        weights = np.linalg.solve(blocks, target)[..., 0]
        feasible = weights.min(axis=1) >= -1e-9 * np.abs(weights).max(axis=1)
        rays = np.zeros((int(feasible.sum()), m))
        rays[np.arange(len(rays))[:, None], bases[feasible]] = np.clip(weights[feasible], 0.0, None)
        found.append(rays)
    # Degenerate rays come from several bases; keep one copy.
    rays = np.unique(np.round(np.vstack(found), 12), axis=0) if found else np.zeros((0, m))
    rays.flags.writeable = False  # shared by every caller through the cache
    return rays


class _PieceTest:
    """The C-LF test of theta0 for one polyhedral piece {A delta <= 0}."""

    def __init__(
        self,
        event: _Inputs,
        mbar: float,
        s: int,
        positive: bool,
        alpha: float,
        lf_simulations: int,
        seed: int,
    ):
        n_pre = event.num_pre_periods
        A = _relative_magnitude_moments(n_pre, event.num_post_periods, mbar, s, positive)
        A_post = A[:, n_pre:]
        l_vec = event.l_vec
        # Reparametrise tau_post = u theta + N nuisance, with l'u = 1 and N spanning
        # l's null space; the test does not depend on which u and N are chosen.
        direction = A_post @ (l_vec / (l_vec @ l_vec))
        _, _, vt = np.linalg.svd(l_vec[None, :])
        X = A_post @ vt[1:].T
        self.moments = A @ event.betahat
        self.direction = direction
        self.sigma = A @ event.sigma @ A.T
        sd = np.sqrt(np.clip(np.diag(self.sigma), 0.0, None))
        if sd.min() <= 1e-12 * max(sd.max(), np.finfo(float).tiny):
            raise EstimationError(
                "a relative-magnitudes moment has zero variance under sigma; check that "
                "sigma is the covariance of these coefficients."
            )
        self.vertices = _dual_vertices(sd, X)
        kappa = alpha / 10
        self.size = (alpha - kappa) / (1 - kappa)
        # The R package truncates at the least-favourable critical value only in
        # the test with nuisance parameters (more than one post-period).
        self.cap_at_lf = event.num_post_periods > 1
        self.lf_cv = self._least_favourable_cv(kappa, lf_simulations, seed)

    def _least_favourable_cv(self, kappa: float, simulations: int, seed: int) -> float:
        """1 - kappa quantile of eta under y ~ N(0, Sigma_Y), the least favourable
        mean (every moment binding)."""
        if not len(self.vertices):
            return math.inf
        rng = np.random.default_rng(seed)
        # Sigma is A V A' (positive semidefinite by construction); rounding can leave an
        # eigenvalue of order -1e-17, which numpy would warn about on every page.
        draws = rng.multivariate_normal(
            np.zeros(len(self.moments)),
            self.sigma,
            size=simulations,
            method="eigh",
            check_valid="ignore",
        )
        eta = (draws @ self.vertices.T).max(axis=1)
        return float(np.quantile(eta, 1 - kappa))

    def accepts(self, thetas: np.ndarray) -> np.ndarray:
        from scipy.stats import truncnorm

        if not len(self.vertices):
            # The linear program is unbounded: some nuisance value satisfies
            # every moment by any margin, so no theta is rejected.
            return np.ones(len(thetas), dtype=bool)
        y = self.moments[None, :] - thetas[:, None] * self.direction[None, :]
        values = y @ self.vertices.T
        best = values.argmax(axis=1)
        eta = values[np.arange(len(thetas)), best]
        gamma = self.vertices[best]
        variance = np.einsum("gi,ij,gj->g", gamma, self.sigma, gamma)
        degenerate = variance < np.finfo(float).eps
        safe_variance = np.where(degenerate, 1.0, variance)
        # Conditioning event: gamma stays the optimal vertex when eta moves to z
        # with the part of y independent of gamma'y (`rest`) held fixed, i.e.
        # lambda'(rest + b z) <= z for every vertex lambda; each vertex bounds z
        # from above (slope > 0) or below (slope < 0).
        b = (gamma @ self.sigma) / safe_variance[:, None]
        rest = y - b * eta[:, None]
        slope = b @ self.vertices.T - 1.0
        level = rest @ self.vertices.T
        tol = 1e-10
        with np.errstate(divide="ignore", invalid="ignore"):
            bounds = -level / slope
        v_up = np.where(slope > tol, bounds, np.inf).min(axis=1)
        v_lo = np.where(slope < -tol, bounds, -np.inf).max(axis=1)
        if self.cap_at_lf:
            v_up = np.minimum(v_up, self.lf_cv)
        sigma_b = np.sqrt(safe_variance)
        z_lo, z_up, statistic = v_lo / sigma_b, v_up / sigma_b, eta / sigma_b
        inside = (z_lo <= statistic) & (statistic <= z_up) & (z_lo < z_up)
        critical = np.zeros(len(thetas))
        if inside.any():
            quantile = truncnorm.ppf(1 - self.size, z_lo[inside], z_up[inside])
            critical[inside] = np.maximum(0.0, quantile)
        # Outside its own truncation interval the statistic is a numerical
        # artefact; the R package does not reject there, nor here.
        reject = inside & (statistic > critical)
        reject |= eta > self.lf_cv  # first stage: the least-favourable test
        reject = np.where(degenerate, eta > 0, reject)
        return ~reject
