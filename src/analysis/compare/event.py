"""Event study: each outcome by year relative to the year a county's policy began.

Timing. A county's adoption year is the calendar year of the earliest dated
row of its definition's lists that marks it (`jurisdictions.enactment_dates`:
the ICE 2014 table's "Date Enacted", a user list's `enacted`). That year is
relative year 0; it is partly treated (a policy enacted in September 2014 was
in force for four months of 2014's annual averages), so the reference is year
-1, the last year wholly before the policy. Counties the definition does not
mark are the controls; counties it marks but does not date are left out.

Estimators, both from pyfixest (imported here only, so other methods do not
pay for it), both robust to effects that differ between adoption cohorts:

- controls="never" (default): the saturated event study of Sun and Abraham
  (2021), pyfixest's `i(rel_time, cohort, ref=-1, ref2=0)` regression with
  county and year effects; each cohort-by-relative-year effect is measured
  against never-listed counties only, and the effects of a relative year are
  averaged over cohorts with pyfixest's cohort-share weights
  (`compute_period_weights`).
- controls="not_yet": Gardner's two-stage estimator (`pyfixest.did2s`): county
  and year effects are fitted on every untreated county-year (never-listed
  counties and listed counties before their adoption), then the treated
  county-years' residuals are averaged by relative year. Its standard errors
  account for the first stage.

Conditional parallel trends: `covariates` (a covariate set) lets each baseline
covariate have its own effect in every year (covariate x year terms);
`within="nchs"` gives each NCHS urban-rural class its own year effects. The
default is unconditional (`covariates="none"`).

Summaries: `pretrend_p_value` is a joint Wald test (chi-squared) that every
pre-period estimate is zero; the "after (average)" row averages the
relative years from 0 on, weighted by their treated county-years. Intervals
use Student t with (counties - 1) degrees of freedom; errors are clustered by
county.

Gaps: an outcome missing in some years (crime has no 2011, 2013 or 2014) has
no estimate for those relative years; when year -1 is missing for the largest
cohort, the reference is the last relative year before adoption that it has
(crime: -2, 2012 for the 2014 cohort), and cohorts without that year are left
out. Every cohort left out is counted in the note.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.errors import AnalysisError, EstimationError, ValidationError
from ..geo.regions import REGION_INDICATORS, region_indicator
from ..panels.units import PANEL
from ..panels.years import default_window
from . import honest
from .choices import CONSTANT_OUTCOMES, check_choice, check_outcome
from .design import not_estimated
from .groups import Groups, member_of
from .spec import MethodSpec, check_level, level_option, option
from .stats import interval

CONTROLS = {
    "never": "never-listed units (Sun and Abraham saturated event study)",
    "not_yet": "never-listed and not-yet-listed unit-years (Gardner two-stage did2s)",
}
EVENT_CONTROLS = tuple(CONTROLS)
WITHIN = (None, "nchs")
NCHS = "nchs_urban_rural_2013"
AFTER_AVERAGE = "after (average)"


def adoption_years(enacted: pd.Series) -> pd.Series:
    """fips (or place) -> adoption year (int) from dates "YYYY-MM-DD", "YYYY-MM" or
    "YYYY"; missing stays missing."""
    text = enacted.dropna().astype(str)
    bad = text[~text.str.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?")]
    if len(bad):
        raise ValidationError(
            f"enactment dates must be YYYY, YYYY-MM or YYYY-MM-DD; found {bad.iloc[0]!r} for "
            f"{bad.index[0]}"
        )
    years = text.str[:4].astype(int)
    return years.reindex(enacted.index).astype("Int64")


class EventDesign:
    """The focal (dated) and comparison units in every panel year, with each focal
    unit's adoption year (`cohort`; 0 for comparison units)."""

    def __init__(
        self,
        panel: pd.DataFrame,
        groups: Groups,
        adoption: pd.Series,
        years: tuple[int, ...] | None = None,
    ):
        unit = groups.unit
        if adoption is None:
            raise AnalysisError(
                f"the event study needs each focal {unit.singular}'s adoption year: call it "
                "through compare(definition, 'event', ...) or pass adoption=<Series: "
                f"{unit.key} -> year>"
            )
        years = tuple(default_window() if years is None else years)
        unknown = sorted(set(years) - set(unit.years))
        if unknown or len(set(years)) < 2:
            raise AnalysisError(
                f"event-study years must be two or more of {unit.years[0]}-{unit.years[-1]}; "
                f"got {years}"
            )
        # A panel cut to fewer years (a researcher's own) is studied in the years it has.
        self.groups, self.year = groups, None
        self.years = tuple(sorted(set(years) & set(panel["year"].astype(int))))
        adoption = pd.Series(adoption).dropna().astype(int)
        adoption.index = adoption.index.astype(str)
        focal = pd.Index(groups.focal)
        self.undated = focal.difference(adoption.index)
        dated = focal.intersection(adoption.index)
        self.cohort_of = adoption.reindex(dated)
        rows = panel.loc[panel["year"].isin(self.years)].copy()
        # One name for the units' column, whatever the panel calls it (fips, place).
        rows["unit_id"] = rows[groups.key].astype(str)
        rows = rows[member_of(rows["unit_id"], dated) | member_of(rows["unit_id"], groups.control)]
        if rows.empty:
            raise ValidationError(f"no panel rows for {groups.definition} in {list(self.years)}")
        self.window_note = ""
        if not groups.unit.complete:
            # A city comes and goes from the FBI's table: study the ones in every year.
            present = rows.groupby("unit_id")["year"].nunique() == len(self.years)
            before = rows["unit_id"].nunique()
            rows = rows[rows["unit_id"].map(present)]
            self.window_note = (
                f"{rows['unit_id'].nunique():,} of {before:,} {groups.unit.plural} are in the "
                f"table in every year {self.years[0]}-{self.years[-1]}; the others are left out"
            )
        rows["cohort"] = rows["unit_id"].map(self.cohort_of).fillna(0).astype(int)
        self.rows = rows.sort_values(["unit_id", "year"], ignore_index=True)


def _data(design: EventDesign, outcome: str, columns: list[str]) -> pd.DataFrame:
    """The outcome's county-years, with each covariate at its value in the first year
    (a baseline: a covariate the policy may have moved would absorb its effect); a
    city's region indicators by year give each region its own year effects."""
    rows = design.rows
    frame = rows[["unit_id", "year", "cohort", outcome]].rename(columns={outcome: "y"})
    # Each unit's state, for inference by placebo states (a hand-made panel may lack it).
    states = rows.get(design.groups.unit.state_column)
    frame["state_code"] = states.astype(str) if states is not None else ""
    if columns:
        first = rows[rows["year"] == rows["year"].min()].set_index("unit_id")
        if "log_population" in columns:
            first = first.assign(log_population=np.log(first["population"]))
        for name in set(columns) & set(REGION_INDICATORS):
            first[name] = region_indicator(first["census_region"], name)
        baseline = first[columns].astype(float)
        frame = frame.join(baseline, on="unit_id")
    frame = frame.dropna(subset=["y", *columns])
    frame["unit"] = frame["unit_id"].astype(np.int64)  # pyfixest's fixed effect and cluster
    frame["treated_unit"] = frame["cohort"] > 0
    frame["is_treated"] = (frame["treated_unit"] & (frame["year"] >= frame["cohort"])).astype(int)
    return frame


def _reference(frame: pd.DataFrame, unit) -> int:
    """-1, or the last relative year before adoption that the largest cohort (of those
    with a year before adoption; ties: the later) has."""
    first = frame["year"].min()
    sizes = frame[frame["treated_unit"]].groupby("cohort")["unit_id"].nunique()
    sizes = sizes[sizes.index > first]  # a cohort with no year before has no reference
    if sizes.empty:
        raise EstimationError(
            f"every focal {unit.singular} adopted in or before {first}, the first year"
        )
    largest = max(sizes.index, key=lambda c: (sizes[c], c))
    before = sorted(y - largest for y in frame["year"].unique() if y < largest)
    return -1 if -1 in before else before[-1]


def _conditioning(frame: pd.DataFrame, covariates: tuple[str, ...]) -> tuple[pd.DataFrame, str]:
    """Covariate x year columns (baseline covariates with a new effect each year)."""
    terms = []
    years = sorted(frame["year"].unique())
    for col in covariates:
        for year in years[1:]:
            name = f"{col}_x_{year}"
            frame[name] = frame[col] * (frame["year"] == year)
            terms.append(name)
    return frame, " + ".join(terms)


def _relative_year_rows(estimates: pd.DataFrame, frame: pd.DataFrame, ref: int) -> pd.DataFrame:
    """Add the reference row and the counts of treated and control counties."""
    treated = frame[frame["treated_unit"]].assign(rel=lambda f: f["year"] - f["cohort"])
    n_treated = treated.groupby("rel")["unit_id"].nunique()
    estimates = pd.concat(
        [estimates, pd.DataFrame({"estimate": [0.0], "std_error": [0.0]}, index=[ref])]
    ).sort_index()
    estimates["n_sanctuary"] = n_treated.reindex(estimates.index).fillna(0).astype(int)
    return estimates


def _lincomb(R: np.ndarray, coef: np.ndarray, vcov: np.ndarray) -> tuple[float, float]:
    return float(R @ coef), float(np.sqrt(R @ vcov @ R))


def _wald_p(R: np.ndarray, coef: np.ndarray, vcov: np.ndarray) -> float:
    from scipy.stats import chi2

    if len(R) == 0:
        return np.nan
    value = R @ coef
    try:
        stat = float(value @ np.linalg.solve(R @ vcov @ R.T, value))
    except np.linalg.LinAlgError:
        raise EstimationError("the pre-period estimates have a singular covariance") from None
    return float(chi2.sf(stat, len(R)))


def _saturated(frame: pd.DataFrame, ref: int, terms: str, fe: str):
    """Sun-Abraham: cohort x relative-year effects against never-listed counties,
    averaged per relative year with pyfixest's cohort-share weights."""
    import pyfixest as pf
    from pyfixest.did.saturated_twfe import compute_period_weights

    frame = frame.assign(
        rel_time=np.where(frame["treated_unit"], frame["year"] - frame["cohort"], np.inf)
    )
    fml = f"y ~ i(rel_time, cohort, ref={float(ref)}, ref2=0)" + (f" + {terms}" if terms else "")
    fit = pf.feols(f"{fml} | {fe}", data=frame, vcov={"CRV1": "unit"})
    names = [str(n) for n in fit._coefnames]
    coef, vcov = np.asarray(fit._beta_hat), np.asarray(fit._vcov)
    weights = compute_period_weights(
        frame[frame["treated_unit"]].assign(rel_time=lambda f: f["rel_time"].astype(int)),
        cohort="cohort",
        period="rel_time",
        treatment="is_treated",
    )
    index = {}
    for i, name in enumerate(names):
        if name.startswith("rel_time::"):
            rel, cohort = name.removeprefix("rel_time::").split(":cohort::")
            index[(int(float(rel)), int(float(cohort)))] = i
    lookup = weights.set_index(["cohort", "rel_time"])["weight"]
    rels = sorted({rel for rel, _ in index})
    rows, R_rows = {}, {}
    for rel in rels:
        R = np.zeros(len(coef))
        for (r, cohort), i in index.items():
            if r == rel:
                R[i] = lookup.get((cohort, rel), 0.0)
        R_rows[rel] = R
        rows[rel] = _lincomb(R, coef, vcov)
    estimates = pd.DataFrame.from_dict(rows, orient="index", columns=["estimate", "std_error"])
    return estimates, R_rows, coef, vcov, fit


def _two_stage(frame: pd.DataFrame, ref: int, terms: str, fe: str):
    """Gardner's did2s: year and county effects from untreated county-years; each
    relative year's mean residual, minus the reference year's (the second stage has
    no intercept, so the reference year gets a coefficient of its own)."""
    import pyfixest as pf

    frame = frame.assign(
        rel_time=np.where(frame["treated_unit"], frame["year"] - frame["cohort"], np.inf)
    )
    fit = pf.did2s(
        frame,
        yname="y",
        first_stage=f"~ {terms or '0'} | {fe}",
        second_stage="~ i(rel_time, ref=np.inf)",
        treatment="is_treated",
        cluster="unit",
    )
    names = [str(n) for n in fit._coefnames]
    coef, vcov = np.asarray(fit._beta_hat), np.asarray(fit._vcov)
    index = {int(float(n.removeprefix("rel_time::"))): i for i, n in enumerate(names)}
    if ref not in index:
        raise EstimationError(f"no adopting unit has relative year {ref} to measure from")
    rows, R_rows = {}, {}
    for rel, i in index.items():
        if rel == ref:
            continue
        R = np.zeros(len(coef))
        R[i], R[index[ref]] = 1.0, -1.0
        R_rows[rel] = R
        rows[rel] = _lincomb(R, coef, vcov)
    estimates = pd.DataFrame.from_dict(rows, orient="index", columns=["estimate", "std_error"])
    return estimates, R_rows, coef, vcov, fit


def event_rows(
    design: EventDesign,
    outcome: str,
    controls: str = "never",
    within: str | None = None,
    level: float = 0.95,
    inference: str | None = None,
    covariates: tuple[str, ...] = (),
    covariate_label: str = "none",
    details: list | None = None,
) -> list[dict]:
    """One row per relative year and the average after adoption; with a `details` list,
    the robust intervals of that average under violations of parallel trends
    (`robust_intervals`) are added to it, and its breakdown value to the average's row."""
    check_outcome(outcome, design.groups.unit)
    check_choice("event-study control group", controls, CONTROLS)
    check_choice("year-effects grouping", within, WITHIN)
    if outcome in CONSTANT_OUTCOMES:
        raise AnalysisError(
            f"outcome {outcome!r} has one value per {design.groups.unit.singular} for every "
            "year (ACS 2011-2015), so it has no change to study"
        )
    if within == "nchs" and controls == "not_yet":
        raise AnalysisError(
            "within='nchs' works with controls='never': the two-stage estimator's variance "
            "(pyfixest did2s) cannot take year effects nested in classes. For the not-yet-"
            "listed controls, condition on a covariate set instead (covariates='demographic' "
            "includes the NCHS class)."
        )
    groups = design.groups
    columns = list(covariates) + ([NCHS] if within == "nchs" else [])
    frame = _data(design, outcome, list(dict.fromkeys(columns)))
    notes = [design.window_note] if design.window_note else []
    if len(design.undated):
        notes.append(
            f"{len(design.undated)} {groups.focal_group} {groups.unit.plural} have no enactment "
            "date "
            "and are left out"
        )
    base = {
        "unit": groups.unit.name,
        "definition": groups.definition,
        "comparison": groups.comparison,
        "focal_group": groups.focal_group,
        "year": None,
        "outcome": outcome,
        "method": "event",
        "estimand": "change since the reference year, focal minus control, by year "
        "relative to adoption",
        "weights": "none",
        "covariates": covariate_label
        + (", year effects within NCHS classes" if within == "nchs" else ""),
        "controls": controls,
        "n_overlap_excluded": groups.n_overlap_excluded,
    }
    try:
        if frame.empty or not frame["treated_unit"].any():
            raise EstimationError(
                f"no focal {groups.unit.singular} has {outcome} in {list(design.years)}"
            )
        frame, late = _after_the_window(frame, design.years, groups.unit)
        notes.extend(late)
        ref = _reference(frame, groups.unit)
        frame, cohorts_out = _usable_cohorts(frame, ref, controls, groups.unit)
        notes.extend(cohorts_out)
        n_focal = frame.loc[frame["treated_unit"], "unit_id"].nunique()
        n_control = frame.loc[~frame["treated_unit"], "unit_id"].nunique()
        if n_focal < 2 or n_control < 2:
            raise EstimationError(
                f"too few {groups.unit.plural} with {outcome}: {n_focal} focal and "
                f"{n_control} control"
            )
        frame, terms = _conditioning(frame, tuple(covariates))
        fe = "unit + year"
        if within == "nchs":
            # one effect per year and class; pyfixest's did2s does not take `year^class`
            frame["year_in_class"] = frame["year"] * 10 + frame[NCHS].astype(int)
            fe = "unit + year_in_class"
        estimator = _saturated if controls == "never" else _two_stage
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pyfixest's beta notices, not the reader's concern
            try:
                estimates, R_rows, coef, vcov, fit = estimator(frame, ref, terms, fe)
            except (ValueError, RuntimeError, np.linalg.LinAlgError) as exc:
                raise EstimationError(f"pyfixest could not fit the model ({exc})") from None
        table = _relative_year_rows(estimates, frame, ref)
        df = frame["unit"].nunique() - 1
        pre = [rel for rel in R_rows if rel < 0 and rel != ref]
        pretrend = _wald_p(np.array([R_rows[r] for r in pre]), coef, vcov) if pre else np.nan
        treated_obs = frame[frame["is_treated"] == 1]
        post_counts = (treated_obs["year"] - treated_obs["cohort"]).value_counts()
        post = [rel for rel in R_rows if rel >= 0]
        R_post = sum(R_rows[r] * post_counts.get(r, 0) for r in post) / sum(
            post_counts.get(r, 0) for r in post
        )
        average = _lincomb(R_post, coef, vcov)
        by_state = (
            placebo_states(frame, ref, terms, fe, average[0], R_post, fit, controls, level)
            if inference == "placebo_states"
            else {}
        )
    except EstimationError as exc:
        return [
            {
                **base,
                "term": "relative year",
                "relative_year": None,
                "n_focal": 0,
                "n_comparison": 0,
                **not_estimated(exc, *notes),
            }
        ]
    se_method = f"clustered by {groups.unit.singular} ({df + 1} clusters), t with {df} df"
    level_gap = _level_gap(frame, ref)
    shared = {
        **base,
        "n_focal": n_focal,
        "n_comparison": n_control,
        "n_control": n_control,
        "reference_relative_year": ref,
        "pretrend_p_value": pretrend,
        "level_gap_at_reference": level_gap,
        "se_method": se_method,
        "note": "; ".join(notes),
    }
    years = sorted(frame["year"].unique())
    rows = []
    for rel, r in table.iterrows():
        low, high, p = (
            interval(r["estimate"], r["std_error"], level, df) if rel != ref else (0.0, 0.0, np.nan)
        )
        cohort_years = sorted(
            {c + rel for c in frame.loc[frame["treated_unit"], "cohort"].unique()} & set(years)
        )
        rows.append(
            {
                **shared,
                "term": "reference" if rel == ref else "relative year",
                "relative_year": int(rel),
                "period": "before" if rel < 0 else "after",
                "calendar_years": ",".join(map(str, cohort_years)),
                "estimate": float(r["estimate"]),
                "std_error": float(r["std_error"]) if rel != ref else np.nan,
                "ci_low": low,
                "ci_high": high,
                "p_value": p,
                "n_sanctuary": int(r["n_sanctuary"]),
            }
        )
    low, high, p = interval(average[0], average[1], level, df)
    placebo_note = by_state.pop("placebo_note", "")
    after = {
        **shared,
        "term": AFTER_AVERAGE,
        "relative_year": None,
        "period": "after",
        "calendar_years": "",
        "estimate": average[0],
        "std_error": average[1],
        "ci_low": low,
        "ci_high": high,
        "p_value": p,
        "n_sanctuary": n_focal,
        **by_state,
    }
    if placebo_note:
        after["note"] = "; ".join(n for n in (after["note"], placebo_note) if n)
    if details is not None:
        intervals, breakdown, why = robust_intervals(R_rows, post_counts, ref, coef, vcov, level)
        after["breakdown_mbar"] = breakdown
        if why:
            after["note"] = "; ".join(n for n in (after["note"], why) if n)
        details.extend({**base_keys(shared), **row} for row in intervals)
    rows.append(after)
    return rows


def base_keys(row: dict) -> dict:
    return {k: row[k] for k in ("unit", "definition", "comparison", "outcome", "controls")}


# --- inference by placebo states ------------------------------------------------------
# When one state made the law, the state is the unit of inference: each donor state's
# units are given the law in turn (the treated states' units left out), and the share
# of all the estimates, the real one included, at least as large in absolute value as
# the real one is its p-value. Errors clustered by state are reported beside it.

MIN_PLACEBO_UNITS = 10  # a donor state needs this many units in the sample
MAX_PLACEBO_DRAWS = 200  # with several treated states: random draws of donor states
INFERENCE = (None, "cluster", "placebo_states")


class TwoWay:
    """Least squares with the unit effects swept out (exact, as pyfixest's feols) and the
    year (or year-in-class) effects and covariate terms projected out, set up once for a
    sample of unit-years: each Sun-Abraham fit on it then costs one small solve."""

    def __init__(self, frame: pd.DataFrame, terms: list[str], fe: str):
        self.frame = frame
        self.codes = pd.factorize(frame["unit"])[0]
        self.counts = np.bincount(self.codes).astype(float)
        time = frame["year_in_class"] if fe.endswith("year_in_class") else frame["year"]
        W = pd.get_dummies(time, drop_first=True, dtype=float).to_numpy()
        if terms:
            W = np.column_stack([frame[terms].to_numpy(float), W])
        U, s, _ = np.linalg.svd(self.sweep(W), full_matrices=False)
        self.Q = U[:, s > s.max() * 1e-10]  # a basis of what is projected out
        self.y = self.project(self.sweep(frame["y"].to_numpy(float)))

    def sweep(self, values: np.ndarray) -> np.ndarray:
        """Each unit's mean subtracted from its rows."""
        if values.ndim == 1:
            return values - (np.bincount(self.codes, values) / self.counts)[self.codes]
        means = (
            np.column_stack(
                [
                    np.bincount(self.codes, values[:, j], self.counts.size)
                    for j in range(values.shape[1])
                ]
            )
            / self.counts[:, None]
        )
        return values - means[self.codes]

    def project(self, values: np.ndarray) -> np.ndarray:
        return values - self.Q @ (self.Q.T @ values)

    def average(self, cohort: np.ndarray, ref: int) -> float:
        """The average after adoption of the saturated event study with these cohorts (0:
        never treated): every cohort x relative-year cell but `ref`, averaged over the
        treated unit-years after adoption.

        The cells are zero outside the treated units' rows, so the normal equations need
        only those rows: with D the cells swept by unit, and Q the basis projected out,
        (D'D - D'QQ'D) b = D'y (y already free of Q)."""
        years = self.frame["year"].to_numpy()
        rows = np.flatnonzero(cohort > 0)  # the treated units' rows, all their years
        rel = years[rows] - cohort[rows]
        cell = np.flatnonzero(rel != ref)
        # One integer per cohort x relative-year cell (a 1-d unique is far faster than rows').
        span = int(rel.max() - rel.min()) + 1
        keys, which = np.unique(cohort[rows][cell] * span + (rel[cell] - rel.min()),
                                return_inverse=True)  # fmt: skip
        which = which.ravel()
        cells_rel = keys % span + rel.min()
        codes = pd.factorize(self.codes[rows])[0]
        counts = np.bincount(codes).astype(float)
        # Each unit's mean of each cell's indicator, subtracted from its rows.
        means = np.bincount(
            codes[cell] * len(keys) + which, minlength=counts.size * len(keys)
        ).reshape(counts.size, len(keys))
        D = -(means / counts[:, None])[codes]
        D[cell, which] += 1.0
        M = self.Q[rows].T @ D
        beta = np.linalg.lstsq(D.T @ D - M.T @ M, D.T @ self.y[rows], rcond=None)[0]
        n = np.bincount(which, minlength=len(keys)) * (cells_rel >= 0)
        return float(n @ beta / n.sum())


def sun_abraham_average(frame: pd.DataFrame, ref: int, terms: list[str], fe: str) -> float:
    """The Sun-Abraham event study's average after adoption (the regression of
    `_saturated`: cohort x relative-year cells against never-treated units, `terms`, year
    or year-in-class effects), by least squares: fast enough to refit per placebo."""
    return TwoWay(frame, terms, fe).average(frame["cohort"].to_numpy(), ref)


def placebo_states(frame, ref, terms, fe, real, R_post, fit, controls, level) -> dict:
    """The placebo-state p-value of the average after adoption, and its errors clustered
    by state, as result columns."""
    terms = [t.strip() for t in terms.split("+")] if terms else []
    if (frame["state_code"] == "").any():
        raise EstimationError(
            "inference by placebo states needs each unit's state: the panel has no state column"
        )
    treated_states = sorted(frame.loc[frame["treated_unit"], "state_code"].unique())
    controls_only = frame[~frame["treated_unit"]]
    sizes = controls_only.groupby("state_code")["unit_id"].nunique()
    donors = sorted(sizes.index[sizes >= MIN_PLACEBO_UNITS])
    found = {
        "inference": "placebo_states",
        "treated_states": ",".join(treated_states),
        "n_placebo_states": len(donors),
    }
    if controls != "never":
        found["placebo_note"] = (
            "placebo-state p-value not computed: it refits the Sun-Abraham estimator "
            "(controls never)"
        )
        return found
    cohorts = frame.loc[frame["treated_unit"]].groupby("state_code")["cohort"].first()
    rng = np.random.default_rng(0)
    if len(cohorts) == 1:
        draws = [dict(zip([d], cohorts.to_numpy())) for d in donors]
    else:
        draws = [
            dict(zip(rng.choice(donors, len(cohorts), replace=False), cohorts.to_numpy()))
            for _ in range(MAX_PLACEBO_DRAWS)
        ]
    sample = TwoWay(controls_only, terms, fe)  # the same units in every draw
    index, states = pd.factorize(controls_only["state_code"])
    estimates = []
    for draw in draws:
        year_of_state = np.array([draw.get(state, 0) for state in states], dtype=int)
        estimates.append(sample.average(year_of_state[index], ref))
    estimates = np.array(estimates)
    found["placebo_p"] = float((1 + np.sum(np.abs(estimates) >= abs(real))) / (1 + len(estimates)))
    found["n_placebos"] = len(estimates)
    # Errors clustered by state, for comparison: few treated clusters make them too small.
    n_states = frame["state_code"].nunique()
    vcov = np.asarray(fit.vcov({"CRV1": "state_code"})._vcov)
    se = float(np.sqrt(R_post @ vcov @ R_post))
    low, high, p = interval(real, se, level, n_states - 1)
    found.update(
        std_error_state=se, ci_low_state=low, ci_high_state=high, p_value_state=p,
        n_states=n_states,
    )  # fmt: skip
    found["placebo_note"] = (
        f"placebo states: {len(donors)} donor states with {MIN_PLACEBO_UNITS} or more units "
        f"each given the law in turn ({len(estimates)} estimates); errors clustered by state "
        f"({n_states} clusters, {len(treated_states)} treated) are shown beside it but are "
        "unreliable with so few treated clusters (Conley and Taber 2011; MacKinnon and Webb "
        "2017)"
    )
    return found


@dataclass(frozen=True)
class EventOptions:
    controls: str = option(
        "never",
        "never (never-listed units, Sun-Abraham) or not_yet (also not-yet-listed unit-years, "
        "Gardner two-stage)",
        choices=EVENT_CONTROLS,
    )
    within: str | None = option(
        None, "year effects within NCHS urban-rural classes (nchs)", choices=WITHIN
    )
    level: float = level_option()
    inference: str | None = option(
        None,
        "cluster (errors clustered by unit) or placebo_states (each donor state's units "
        "given the law in turn; the default for a definition whose rows are states)",
        choices=INFERENCE,
    )
    adoption: object = option(
        None, "each focal unit's adoption year (a Series)", command_line=False, design=True
    )
    years: tuple[int, ...] | None = option(
        None,
        "the calendar years studied (default 2010-2019: 2020-2021 are the pandemic years)",
        flag="--window",
        metavar="FIRST-LAST",
        design=True,
    )

    def __post_init__(self):
        check_level(self.level)


def event_design(panel: pd.DataFrame, groups: Groups, year: int | None, options: EventOptions):
    return EventDesign(panel, groups, options.adoption, options.years)


EVENT = MethodSpec(
    "event",
    "event study by year relative to each unit's adoption year, heterogeneity-robust "
    "(pyfixest: Sun-Abraham or Gardner two-stage)",
    EventOptions,
    event_rows,
    event_design,
    covariates=True,
    default_covariates="none",
    details="robust intervals of the average after adoption (Rambachan-Roth)",
    over_years=lambda options: True,
    gaps_allowed=True,
    design_years=lambda options: tuple(options.years or default_window()),
    requires=PANEL,
    api_name="event_study",
    positional=("adoption",),
)


# The breakdown value is searched up to this Mbar (Rambachan and Roth's relative
# magnitudes: violations after adoption up to Mbar times the largest one before).
BREAKDOWN_MAX = 5.0


def robust_intervals(
    R_rows: dict, post_counts: pd.Series, ref: int, coef, vcov, level: float
) -> tuple[list[dict], float | None, str]:
    """Rambachan-Roth robust intervals for the average after adoption under relative
    magnitudes (analysis.compare.honest), for honest.DEFAULT_MBAR_GRID, and the breakdown
    value of Mbar: ([{Mbar, lb, ub}], breakdown or NaN, why not computed)."""
    pre = sorted(r for r in R_rows if r < 0)
    post = sorted(r for r in R_rows if r >= 0)
    periods = [*pre, ref, *post]
    if sorted(periods) != list(range(min(periods), max(periods) + 1)) or ref != -1:
        return (
            [],
            np.nan,
            (
                "robust intervals not computed: they need every relative year from the first to "
                "the last, measured from year -1 (this outcome has gaps)"
            ),
        )
    if not pre:
        return [], np.nan, "robust intervals not computed: no year before adoption to bound by"
    R = np.array([R_rows[r] for r in [*pre, *post]])
    betahat, sigma = R @ coef, R @ vcov @ R.T
    weights = np.array([post_counts.get(r, 0) for r in post], dtype=float)
    weights /= weights.sum()
    alpha = 1 - level
    # The R package's 1,000 draws for the least-favourable critical value (the module's
    # default of 10,000 steadies the last digit at ten times the time).
    speed = {"lf_simulations": 1_000}
    try:
        table = honest.relative_magnitudes_intervals(
            betahat, sigma, len(pre), len(post), weights, alpha=alpha, **speed
        )
        # The grid's intervals bracket the breakdown value: bisect only between them.
        known = {r.Mbar: bool(r.lb <= 0 <= r.ub) for r in table.itertuples()}
        breakdown = honest.breakdown_mbar(
            betahat, sigma, len(pre), len(post), weights, alpha, mbar_max=BREAKDOWN_MAX,
            tolerance=0.05, known=known, **speed,
        )  # fmt: skip
    except (AnalysisError, EstimationError) as exc:
        return [], np.nan, f"robust intervals not computed: {exc}"
    rows = [{"Mbar": r.Mbar, "lb": r.lb, "ub": r.ub} for r in table.itertuples()]
    return rows, (np.inf if breakdown is None else breakdown), ""


def _level_gap(frame: pd.DataFrame, ref: int) -> float:
    """How far apart the groups already were in the reference year: each adopting
    county's value then, minus the controls' mean that calendar year, averaged."""
    at_reference = frame[frame["treated_unit"] & (frame["year"] == frame["cohort"] + ref)]
    control_mean = frame[~frame["treated_unit"]].groupby("year")["y"].mean()
    return float((at_reference["y"] - at_reference["year"].map(control_mean)).mean())


def _after_the_window(frame: pd.DataFrame, years, unit) -> tuple[pd.DataFrame, list[str]]:
    """Leave out the cohorts that adopted after the last year studied (a 287(g) agreement
    of 2025 in a window ending 2019), each counted in a note."""
    first, last = min(years), max(years)
    late = frame["treated_unit"] & (frame["cohort"] > last)
    sizes = frame[late].groupby("cohort")["unit_id"].nunique()
    notes = [
        f"{unit.count(n)} adopting in {cohort} left out: after the last year studied ({last})"
        for cohort, n in sizes.items()
    ]
    frame = frame[~late]
    if not frame["treated_unit"].any():
        raise EstimationError(
            f"no focal {unit.singular} adopted in {first}-{last}, the years studied"
        )
    return frame, notes


def _usable_cohorts(
    frame: pd.DataFrame, ref: int, controls: str, unit
) -> tuple[pd.DataFrame, list[str]]:
    """Drop cohorts without the reference year (and, for did2s, cohorts and counties
    with fewer than two untreated years: pyfixest cannot fit a county effect from one)."""
    notes = []
    years = set(frame["year"].unique())
    cohorts = frame.loc[frame["treated_unit"]].groupby("cohort")["unit_id"].nunique()
    keep = []
    for cohort, n in cohorts.items():
        before = [y for y in years if y < cohort]
        if not before:
            notes.append(
                f"{unit.count(n)} adopting in {cohort} left out: no year before {cohort} "
                f"among the years studied ({min(years)}-{max(years)}) to measure from"
            )
        elif cohort + ref not in years:
            notes.append(
                f"{unit.count(n)} adopting in {cohort} left out: no {cohort + ref} "
                f"(relative year {ref}) to measure from"
            )
        elif controls == "not_yet" and len(before) < 2:
            notes.append(
                f"{unit.count(n)} adopting in {cohort} left out: the two-stage estimator "
                "needs two years before adoption"
            )
        else:
            keep.append(cohort)
    frame = frame[~frame["treated_unit"] | frame["cohort"].isin(keep)]
    if controls == "not_yet":
        # Gardner's first stage fits each county's level on its untreated years; pyfixest
        # drops a county seen once there, and then cannot place its later years.
        untreated = frame[frame["is_treated"] == 0].groupby("unit_id").size()
        thin = frame["unit_id"].map(untreated).fillna(0) < 2
        if thin.any():
            gone = frame.loc[thin].drop_duplicates("unit_id")
            n_focal = int(gone["treated_unit"].sum())
            notes.append(
                f"{n_focal} focal and {len(gone) - n_focal} control {unit.plural} left out: "
                "fewer than two untreated years with the outcome"
            )
            frame = frame[~thin]
    return frame, notes
