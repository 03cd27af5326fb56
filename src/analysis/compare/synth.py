"""A law one state made, judged as that state: the synthetic control (Abadie, Diamond
and Hainmueller 2010) and the synthetic difference-in-differences (Arkhangelsky,
Athey, Hirshberg, Imbens and Wager 2021), both estimated by diff-diff, with inference
by placebo states. Units: the states (analysis.panels.units.STATE).

Design (`StateDesign`). Each focal state is treated from the calendar year its law took
effect (year 0, as in the event studies: California 2018, Illinois 2017). The window is
2000-2019 by default (`years`; the state panel runs 1979-2023, and 2020-2021 are the
pandemic and the FBI's NIBRS change). The donors are, by default, the states and DC
that no sanctuary definition lists as a whole state, at any date
(`definitions.never_listed`); `donors=` gives them by hand. A donor without the outcome
in every year of the window is left out, and counted.

Synthetic control (`method="synth"`), one treated state at a time. The predictors are
the outcome in every year before adoption, equally weighted and unscaled, so the donor
weights (w >= 0, summing to 1) minimise the squared gap before adoption (diff-diff's
SyntheticControl with a fixed V; its simplex least squares is exact). With covariates,
their means over the years before adoption are predictors too, every predictor scaled
by its spread across states. Reported: the mean gap after adoption (`estimate`, the
state minus its synthetic self), the root mean squared gap before (`pre_rmspe`) and
after, the donor weights, and the placebo p-value (`placebo_p`): each donor in turn is
treated in the same year, with the other donors as its donors, and `placebo_p` is the
share of all states, the treated one included, whose post/pre RMSPE ratio is at least
the treated state's. Checks: the in-time placebo (the law moved `in_time` years
earlier, the synthetic control fitted on the years before that: a gap there is not the
law's) and leave-one-out (each donor with positive weight dropped in turn).

Synthetic difference-in-differences (`method="sdid"`): diff-diff's SyntheticDiD, unit
and time weights with the package's regularisation (as R's synthdid), and the placebo
variance of Arkhangelsky et al.'s Algorithm 4 with every donor placebo once (the exact
variance, with no random draw; `n_placebo` and `seed` serve a design with several
treated units at once). Each treated state is estimated on its own against the donors,
a cohort of one (the finest form of the paper's cohort-by-cohort estimate), and with
several states their estimates are averaged, weighted by their years after adoption;
each state's row is kept. `placebo_p`: the share of placebo estimates, the real one included, at
least as large in absolute value.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.errors import AnalysisError, EstimationError
from ..panels.units import SYNTHETIC_CONTROL, Unit
from . import definitions as by_name  # definitions looked up by name (test seam)
from .design import not_estimated
from .groups import Groups
from .spec import MethodSpec, check_level, level_option, option
from .stats import interval

DEFAULT_WINDOW = tuple(range(2000, 2020))
MIN_PRE_YEARS = 5  # years before adoption a synthetic control is fitted on, at least
WEIGHT_SHOWN = 0.001  # donor weights below this are left out of the weights' text


class StateDesign:
    """The treated states with their adoption years, the donors, and each state's
    outcome by year in the window."""

    def __init__(
        self,
        panel: pd.DataFrame,
        groups: Groups,
        adoption: pd.Series | None,
        years: tuple[int, ...] | None = None,
        donors: tuple[str, ...] | None = None,
    ):
        unit: Unit = groups.unit
        self.groups, self.year = groups, None
        years = tuple(sorted(years or DEFAULT_WINDOW))
        outside = sorted(set(years) - set(unit.years))
        if outside or len(years) < MIN_PRE_YEARS + 1:
            raise AnalysisError(
                f"the window must be {MIN_PRE_YEARS + 1} or more years of "
                f"{unit.years[0]}-{unit.years[-1]}; got {years[0]}-{years[-1]}"
            )
        self.years = years
        if adoption is None:
            raise AnalysisError(
                f"the synthetic control needs each treated {unit.singular}'s adoption year: "
                "call it through compare(definition, ...) with a definition that dates its "
                f"policies, or pass adoption=<Series: {unit.key} -> year>"
            )
        adoption = pd.Series(adoption).dropna().astype(int)
        adoption.index = adoption.index.astype(str)
        self.notes: list[str] = []
        self.treated: dict[str, int] = {}
        for state in groups.focal:
            if state not in adoption.index:
                self.notes.append(f"{state}: no adoption date, left out")
            elif not years[0] + MIN_PRE_YEARS <= adoption[state] <= years[-1]:
                self.notes.append(
                    f"{state}: its law took effect in {adoption[state]}, outside the years "
                    f"the window can judge ({years[0] + MIN_PRE_YEARS}-{years[-1]}); left out"
                )
            else:
                self.treated[state] = int(adoption[state])
        if donors is None:
            never = set(by_name.never_listed(unit))
            self.donors = tuple(sorted(set(groups.control) & never))
            self.donor_rule = (
                f"the {len(self.donors)} {unit.plural} that no sanctuary definition lists as a "
                "whole state, at any date"
            )
        else:
            unknown = sorted(set(donors) - set(panel[unit.key]))
            if unknown:
                raise AnalysisError(f"donors {', '.join(unknown)}: no such {unit.singular}")
            self.donors = tuple(sorted(set(donors) - set(self.treated)))
            self.donor_rule = f"the {len(self.donors)} {unit.plural} given as donors"
        if len(self.donors) < 2:
            raise AnalysisError(f"too few donor {unit.plural}: {list(self.donors)}")
        keep = panel[unit.key].isin([*self.treated, *self.donors]) & panel["year"].isin(years)
        self.rows = panel.loc[keep]
        self.memo: dict = {}  # placebo fits, shared by the laws of one year

    def outcome_table(self, outcome: str) -> pd.DataFrame:
        """States by years, the outcome's values."""
        return self.rows.pivot(index=self.groups.key, columns="year", values=outcome)


def _long(table: pd.DataFrame, treated: str, adoption: int) -> tuple[pd.DataFrame, dict]:
    """The wide table in diff-diff's long layout, with integer unit codes (the package's
    checks run several times faster on them than on text)."""
    codes = {state: i for i, state in enumerate(table.index)}
    frame = table.rename(index=codes).stack().rename("y").reset_index()
    frame.columns = ["unit", "year", "y"]
    frame["treated"] = ((frame["unit"] == codes[treated]) & (frame["year"] >= adoption)).astype(int)
    frame["ever"] = (frame["unit"] == codes[treated]).astype(int)
    return frame, codes


@dataclass
class Fit:
    """One synthetic control: its donor weights and its gap year by year."""

    weights: dict[str, float]
    gaps: pd.Series  # by year: the state minus its synthetic self
    pre_rmspe: float
    post_rmspe: float
    result: object  # diff-diff's result, for its checks

    @property
    def ratio(self) -> float:
        return self.post_rmspe / self.pre_rmspe if self.pre_rmspe > 0 else math.inf

    def estimate(self, post: list[int]) -> float:
        return float(self.gaps.loc[post].mean())


def fit_synthetic_control(
    table: pd.DataFrame,
    treated: str,
    donors: tuple[str, ...],
    adoption: int,
    covariates: pd.DataFrame | None = None,
) -> Fit:
    """The synthetic control of `treated` from `donors` (rows of `table`), its
    predictors the outcome in each year before `adoption` (and the covariates' columns,
    one value per state, when given)."""
    from diff_diff import SyntheticControl

    part = table.loc[[treated, *donors]]
    frame, codes = _long(part, treated, adoption)
    pre = [y for y in part.columns if y < adoption]
    post = [y for y in part.columns if y >= adoption]
    predictors = None
    if covariates is not None and not covariates.empty:
        predictors = list(covariates.columns)
        frame = frame.join(covariates.rename(index=codes), on="unit")
    k = len(pre) + len(predictors or [])
    estimator = SyntheticControl(
        v_method="custom",
        custom_v=np.ones(k),
        # Unscaled on the outcome alone: the weights minimise the raw squared gap.
        standardize="std" if predictors else "none",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the package's notes on its own conventions
        result = estimator.fit(
            frame, "y", "treated", "unit", "year",
            post_periods=post, treated_unit=codes[treated],
            donor_pool=[codes[d] for d in donors], pre_period_outcomes="all",
            predictors=predictors, predictor_window=pre if predictors else None,
        )  # fmt: skip
    names = {i: state for state, i in codes.items()}
    weights = {names[int(u)]: float(w) for u, w in result.donor_weights.items()}
    synthetic = table.loc[list(weights)].T @ pd.Series(weights)
    gaps = (table.loc[treated] - synthetic).astype(float)
    pre_rmspe = float(np.sqrt((gaps.loc[pre] ** 2).mean()))
    post_rmspe = float(np.sqrt((gaps.loc[post] ** 2).mean()))
    return Fit(weights, gaps, pre_rmspe, post_rmspe, result)


def _outcome_and_donors(design, outcome: str) -> tuple[pd.DataFrame, tuple[str, ...], list[str]]:
    """The outcome's table, the donors with it in every year of the window, and the
    design's notes with one naming the donors left out."""
    table = design.outcome_table(outcome)
    donors, incomplete = _complete(table, design.donors)
    notes = list(design.notes)
    if incomplete:
        notes.append(
            f"{len(incomplete)} donor {design.groups.unit.plural} without {outcome} in every "
            f"year of the window left out: {', '.join(incomplete)}"
        )
    return table, donors, notes


def _complete(table: pd.DataFrame, donors: tuple[str, ...]) -> tuple[tuple[str, ...], list[str]]:
    """The donors with the outcome in every year of the window, and the others."""
    full = table.notna().all(axis=1)
    kept = tuple(d for d in donors if full.get(d, False))
    return kept, [d for d in donors if d not in kept]


def _weights_text(weights: dict[str, float]) -> str:
    shown = sorted(((w, s) for s, w in weights.items() if w >= WEIGHT_SHOWN), reverse=True)
    return ", ".join(f"{s} {w:.3f}" for w, s in shown)


def _base(design: StateDesign, outcome: str, method: str, covariate_label: str) -> dict:
    groups = design.groups
    return {
        "unit": groups.unit.name,
        "definition": groups.definition,
        "comparison": f"donors: {design.donor_rule}",
        "focal_group": groups.focal_group,
        "year": None,
        "outcome": outcome,
        "method": method,
        "weights": "none",
        "covariates": covariate_label,
        "n_overlap_excluded": groups.n_overlap_excluded,
        "n_dropped_focal": 0,
        "n_dropped_comparison": 0,
        "window": f"{design.years[0]}-{design.years[-1]}",
    }


def _law_base(design, outcome, method, covariate_label, state, adoption, donors) -> dict:
    """The columns every row of one treated state shares, synthetic control or DiD."""
    post = [y for y in design.years if y >= adoption]
    return {
        **_base(design, outcome, method, covariate_label),
        "treated_state": state,
        "adoption_year": adoption,
        "years_after": ",".join(map(str, post)),
        "n_focal": 1,
        "n_comparison": len(donors),
        "n_donors": len(donors),
    }


def synth_rows(
    design: StateDesign,
    outcome: str,
    in_time: int = 3,
    covariates: tuple[str, ...] = (),
    covariate_label: str = "none",
    details: list | None = None,
) -> list[dict]:
    """One row per treated state; with a `details` list, each year's gap of the treated
    state and of every placebo state, and the donor weights, are added to it."""
    table, donors, notes = _outcome_and_donors(design, outcome)
    cov = _covariate_means(design, covariates)
    rows = []
    for state, adoption in sorted(design.treated.items()):
        post = [y for y in design.years if y >= adoption]
        base = _law_base(design, outcome, "synth", covariate_label, state, adoption, donors)
        base["estimand"] = "mean gap after adoption, the state minus its synthetic control"
        try:
            if table.loc[state].isna().any():
                raise EstimationError(f"{state} lacks {outcome} in some year of the window")
            real = fit_synthetic_control(table, state, donors, adoption, cov)
            key = (outcome, adoption, donors, covariates)
            if key not in design.memo:  # laws of the same year share their placebos
                design.memo[key] = placebo_fits(table, donors, adoption, cov)
            placebos = design.memo[key]
            ratios = [p.ratio for p in placebos.values()]
            placebo_p = (1 + sum(r >= real.ratio for r in ratios)) / (1 + len(ratios))
            checks = _checks(real, adoption, in_time)
        except EstimationError as exc:
            rows.append({**base, **not_estimated(exc, *notes)})
            continue
        rows.append(
            {
                **base,
                "estimate": real.estimate(post),
                "p_value": placebo_p,
                "placebo_p": placebo_p,
                "pre_rmspe": real.pre_rmspe,
                "post_rmspe": real.post_rmspe,
                "rmspe_ratio": real.ratio,
                "n_placebos": len(placebos),
                "donor_weights": _weights_text(real.weights),
                **checks,
                "se_method": "no standard error: inference by placebo states (each donor "
                "treated in turn, post/pre RMSPE ratios ranked)",
                "note": "; ".join(notes),
            }
        )
        if details is not None:
            details.extend(_gap_rows(design, outcome, state, adoption, real, placebos))
            details.extend(
                {
                    "treated_state": state,
                    "outcome": outcome,
                    "role": "weight",
                    "state": s,
                    "weight": w,
                }  # fmt: skip
                for s, w in sorted(real.weights.items(), key=lambda kv: -kv[1])
                if w >= WEIGHT_SHOWN
            )
    return rows


def placebo_fits(table, donors, adoption, covariates) -> dict[str, Fit]:
    """Each donor treated in `adoption` in turn, the other donors its donors: the fits
    depend on the donors, the outcome and the year, not on the treated state."""
    fits = {}
    for placebo in donors:
        others = tuple(d for d in donors if d != placebo)
        if covariates is None:
            fits[placebo] = _outcome_only_fit(table, placebo, others, adoption)
        else:
            fits[placebo] = fit_synthetic_control(table, placebo, others, adoption, covariates)
    return fits


def _outcome_only_fit(table, treated: str, donors: tuple[str, ...], adoption: int) -> Fit:
    """`fit_synthetic_control` without covariates, by the same solve as diff-diff's
    SyntheticControl (its simplex least squares, `_inner_solve_W`, with the equal V of
    `custom_v` and the weights it reports above `_MIN_REPORT_WEIGHT`), without the
    package's data checks and tables, which cost 20 times the solve; a placebo needs
    only the weights. Tested equal to the package's fit."""
    from diff_diff.synthetic_control import _MIN_REPORT_WEIGHT, _inner_solve_W

    pre = [y for y in table.columns if y < adoption]
    post = [y for y in table.columns if y >= adoption]
    X0 = table.loc[list(donors), pre].to_numpy(float).T  # predictors by donors
    X1 = table.loc[treated, pre].to_numpy(float)
    w, _ = _inner_solve_W(X1, X0, np.full(len(pre), 1.0 / len(pre)))
    weights = {d: float(x) for d, x in zip(donors, w, strict=True) if x > _MIN_REPORT_WEIGHT}
    synthetic = table.loc[list(weights)].T @ pd.Series(weights)
    gaps = (table.loc[treated] - synthetic).astype(float)
    pre_rmspe = float(np.sqrt((gaps.loc[pre] ** 2).mean()))
    post_rmspe = float(np.sqrt((gaps.loc[post] ** 2).mean()))
    return Fit(weights, gaps, pre_rmspe, post_rmspe, None)


def _checks(real: Fit, adoption: int, in_time: int) -> dict:
    """The in-time placebo and the leave-one-out range, from diff-diff's own re-runs."""
    found: dict[str, object] = {"in_time_year": adoption - in_time}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its notes on dropping the held-out years
        moved = real.result.in_time_placebo(placebo_periods=[adoption - in_time])
        loo = real.result.leave_one_out()
    ran = moved[moved["status"] == "ran"]
    found["in_time_gap"] = float(ran["placebo_att"].iloc[0]) if len(ran) else np.nan
    dropped = loo[loo["status"] == "loo"]
    found["loo_low"] = float(dropped["att"].min()) if len(dropped) else np.nan
    found["loo_high"] = float(dropped["att"].max()) if len(dropped) else np.nan
    found["n_loo"] = int(len(dropped))
    return found


def _gap_rows(design, outcome, state, adoption, real: Fit, placebos: dict[str, Fit]):
    table = design.outcome_table(outcome)
    synthetic = table.loc[state] - real.gaps
    rows = [
        {
            "treated_state": state,
            "outcome": outcome,
            "role": "treated",
            "state": state,
            "year": int(year),
            "relative_year": int(year) - adoption,
            "value": float(table.at[state, year]),
            "synthetic": float(synthetic[year]),
            "gap": float(real.gaps[year]),
        }
        for year in real.gaps.index
    ]
    rows += [
        {
            "treated_state": state,
            "outcome": outcome,
            "role": "placebo",
            "state": placebo,
            "year": int(year),
            "relative_year": int(year) - adoption,
            "gap": float(fit.gaps[year]),
            "pre_rmspe": fit.pre_rmspe,
        }
        for placebo, fit in placebos.items()
        for year in fit.gaps.index
    ]
    return rows


def _covariate_means(design: StateDesign, covariates: tuple[str, ...]) -> pd.DataFrame | None:
    """Each covariate's mean over the window's years before the earliest adoption, one
    value per state (None without covariates)."""
    if not covariates:
        return None
    first = min(design.treated.values(), default=design.years[-1])
    rows = design.rows[design.rows["year"] < first]
    means = rows.groupby(design.groups.key)[list(covariates)].mean()
    missing = means.columns[means.isna().any()].tolist()
    if missing:
        raise AnalysisError(
            f"covariates {missing} have no value before {first} for some "
            f"{design.groups.unit.plural}: choose others, or a later window"
        )
    return means


# --- synthetic difference-in-differences ---------------------------------------------


@dataclass
class SdidFit:
    estimate: float
    std_error: float
    placebo_p: float
    pre_rmspe: float
    n_placebos: int
    draws: str  # how the placebo variance was drawn


def _sdid_point(
    table: pd.DataFrame, treated: list[str], post: list[int], draws: int = 2, seed: int = 0
):
    """diff-diff's synthetic DiD of the `treated` rows of `table` (units by years) against
    the others, treated in the `post` years, its placebo variance from `draws` random
    placebos (two, when only the estimate and fit are wanted)."""
    from diff_diff import SyntheticDiD

    frame = table.stack().rename("y").reset_index()
    frame.columns = ["name", "year", "y"]
    codes = {s: i for i, s in enumerate(table.index)}
    frame["unit"] = frame["name"].map(codes)
    frame["ever"] = frame["name"].isin(treated).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the package's notes on its own conventions
        return SyntheticDiD(variance_method="placebo", n_bootstrap=draws, seed=seed).fit(
            frame, outcome="y", treatment="ever", unit="unit", time="year", post_periods=post
        )


def fit_sdid(
    table: pd.DataFrame,
    treated: list[str],
    post: list[int],
    n_placebo: int = 200,
    seed: int = 0,
    memo: dict | None = None,
) -> SdidFit:
    """The synthetic DiD of the `treated` rows of `table` against the others, with the
    placebo variance of Arkhangelsky et al. (2021, Algorithm 4): the estimate refitted with
    controls in the treated rows' place. With one treated row every control is placebo
    once (the exact variance, no random draw); with several, diff-diff draws `n_placebo`
    of them (`seed`). `memo` keeps the exact placebo estimates, which depend on the
    controls, the years and the outcome (the key is made of them), not on the treated row."""
    controls = [u for u in table.index if u not in treated]
    if len(treated) == 1:
        real = _sdid_point(table, treated, post)
        key = (
            tuple(controls),
            tuple(post),
            tuple(table.columns),
            float(table.loc[controls].sum().sum()),
        )
        if memo is None or key not in memo:
            placebos = np.array([_sdid_point(table.loc[controls], [c], post).att for c in controls])
            if memo is not None:
                memo[key] = placebos
        placebos = memo[key] if memo is not None else placebos
        se = float(np.sqrt(np.mean((placebos - placebos.mean()) ** 2)))
        p = float((1 + np.sum(np.abs(placebos) >= abs(real.att))) / (1 + len(placebos)))
        return SdidFit(float(real.att), se, p, float(real.pre_treatment_fit), len(placebos),
                       f"every control once ({len(placebos)} placebos)")  # fmt: skip
    result = _sdid_point(table, treated, post, n_placebo, seed)
    return SdidFit(float(result.att), float(result.se), float(result.p_value),
                   float(result.pre_treatment_fit), n_placebo,
                   f"{n_placebo} random draws, seed {seed} (diff-diff)")  # fmt: skip


def sdid_rows(
    design: StateDesign,
    outcome: str,
    n_placebo: int = 200,
    seed: int = 0,
    level: float = 0.95,
) -> list[dict]:
    """One row per treated state (each its own cohort against the donors), and with
    several states their average. Its weights fit the outcome alone: no covariates."""
    table, donors, notes = _outcome_and_donors(design, outcome)
    rows, parts = [], []
    for state, adoption in sorted(design.treated.items()):
        post = [y for y in design.years if y >= adoption]
        base = _law_base(design, outcome, "sdid", "none", state, adoption, donors)
        base["estimand"] = (
            "synthetic difference-in-differences: the change after adoption, treated minus "
            "synthetic, relative to the weighted years before"
        )
        part = table.loc[[state, *donors]]
        if part.isna().any().any():
            reason = f"{state} lacks {outcome} in some year of the window"
            rows.append({**base, **not_estimated(reason, *notes)})
            continue
        result = fit_sdid(part, [state], post, n_placebo, seed, design.memo)
        low, high, _ = interval(result.estimate, result.std_error, level)
        rows.append(
            {
                **base,
                "estimate": result.estimate,
                "std_error": result.std_error,
                "ci_low": low,
                "ci_high": high,
                "p_value": result.placebo_p,
                "placebo_p": result.placebo_p,
                "pre_rmspe": result.pre_rmspe,
                "n_placebos": result.n_placebos,
                "se_method": "placebo variance (Arkhangelsky et al. 2021, Algorithm 4): "
                f"{result.draws}; normal interval; placebo_p: the share of placebo estimates "
                "at least as large in absolute value, the real one included",
                "note": "; ".join(notes),
            }
        )
        parts.append((result.estimate, result.std_error, len(post)))
    if len(parts) > 1:
        weights = np.array([n for _, _, n in parts], dtype=float)
        weights /= weights.sum()
        estimate = float(sum(w * a for w, (a, _, _) in zip(weights, parts)))
        se = float(math.sqrt(sum((w * s) ** 2 for w, (_, s, _) in zip(weights, parts))))
        low, high, p = interval(estimate, se, level)
        rows.append(
            {
                **_base(design, outcome, "sdid", "none"),
                "estimand": "average over the treated states, weighted by their years after "
                "adoption",
                "treated_state": ",".join(sorted(design.treated)),
                "adoption_year": None,
                "n_focal": len(design.treated),
                "n_comparison": len(donors),
                "n_donors": len(donors),
                "estimate": estimate,
                "std_error": se,
                "ci_low": low,
                "ci_high": high,
                "p_value": p,
                "se_method": "the states' placebo variances combined as if independent (they "
                "share their donors); normal interval",
                "note": "; ".join(notes),
            }
        )
    return rows


# --- the methods' specs ---------------------------------------------------------------


def _adoption_option():
    return option(
        None, "each treated state's adoption year (a Series)", command_line=False, design=True
    )


def _window_option():
    return option(
        None,
        "the calendar years studied (default 2000-2019; the state panel runs 1979-2023)",
        flag="--window",
        metavar="FIRST-LAST",
        design=True,
    )


def _donors_option():
    return option(
        None,
        "a donor state (default: every state no sanctuary definition lists as a whole state)",
        flag="--donor",
        metavar="ST",
        design=True,
    )


@dataclass(frozen=True)
class SynthOptions:
    in_time: int = option(3, "years the in-time placebo moves the law earlier", metavar="N")
    adoption: object = _adoption_option()
    years: tuple[int, ...] | None = _window_option()
    donors: tuple[str, ...] | None = _donors_option()


@dataclass(frozen=True)
class SdidOptions:
    n_placebo: int = option(200, "placebo draws of the variance", metavar="N")
    seed: int = option(0, "random seed")
    level: float = level_option()
    adoption: object = _adoption_option()
    years: tuple[int, ...] | None = _window_option()
    donors: tuple[str, ...] | None = _donors_option()

    def __post_init__(self):
        check_level(self.level)
        if self.n_placebo < 2:
            raise AnalysisError(f"n_placebo must be at least 2, not {self.n_placebo}")


def state_design(panel: pd.DataFrame, groups: Groups, year: int | None, options) -> StateDesign:
    return StateDesign(panel, groups, options.adoption, options.years, options.donors)


SYNTH = MethodSpec(
    "synth",
    "synthetic control of each treated state from the donor states, with placebo-state "
    "inference (diff-diff)",
    SynthOptions,
    synth_rows,
    state_design,
    covariates=True,
    default_covariates="none",
    details="each year's gap of the treated state and of every placebo state, and the "
    "donor weights",
    over_years=lambda options: True,
    design_years=lambda options: tuple(options.years or DEFAULT_WINDOW),
    requires=SYNTHETIC_CONTROL,
)
SDID = MethodSpec(
    "sdid",
    "synthetic difference-in-differences of the treated states, cohort by cohort, placebo "
    "variance (diff-diff)",
    SdidOptions,
    sdid_rows,
    state_design,
    over_years=lambda options: True,
    design_years=lambda options: tuple(options.years or DEFAULT_WINDOW),
    requires=SYNTHETIC_CONTROL,
)
