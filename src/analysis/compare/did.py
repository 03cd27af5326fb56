"""Difference-in-differences around the 2014 policies.

Counties keep the status their definition gives them (the ice2014 lists
record policies in place by 2014). With county and year fixed effects,

    y_ct = a_c + b_t + beta * focal_c * after_t + e_ct,

beta is how much more (or less) the focal counties' outcome changed from the
years before (2010, 2012) to the years after (2015, 2016) than the comparison
counties'. The event-study version replaces focal*after by focal*year terms
for every year but the reference year (2012, the last year before): the
year-by-year gaps relative to 2012. A pre-period gap far from zero means the
groups were already drifting apart, and the parallel-trends assumption that
gives beta a causal reading is in doubt; `pretrend_p_value` tests all
pre-period gaps jointly.

Estimation: the county effects are removed by subtracting county means
(Frisch-Waugh-Lovell; exact with an unbalanced panel too) and year dummies are
kept as regressors; standard errors are clustered by county with the factor
G/(G-1) * (N-1)/(N-K), K counting the year effects, the group terms and the
constant but not the county effects, which are nested in the clusters; the
interval uses t with G-1 degrees of freedom. By default only counties with
the outcome in every year are used (balanced panel).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.errors import AnalysisError, EstimationError, ValidationError
from ..panels.units import CONSTANT_OUTCOMES, PANEL, check_outcome_year
from .design import not_estimated
from .groups import Groups, member_of
from .spec import MethodSpec, check_level, level_option, option
from .stats import interval, linear_fit

PRE_YEARS = (2010, 2012)
POST_YEARS = (2015, 2016)
REFERENCE_YEAR = 2012


class PanelDesign:
    """The focal and comparison units' rows in the DiD years."""

    def __init__(
        self,
        panel: pd.DataFrame,
        groups: Groups,
        pre: tuple[int, ...] = PRE_YEARS,
        post: tuple[int, ...] = POST_YEARS,
    ):
        if not pre or not post or max(pre) >= min(post):
            raise AnalysisError(
                f"the years before {list(pre)} must all precede the years after {list(post)}"
            )
        self.groups, self.pre, self.post = groups, tuple(pre), tuple(post)
        self.years = tuple(sorted({*pre, *post}))
        self.year = None
        key = groups.key
        rows = panel.loc[panel["year"].isin(self.years)]
        ids = rows[key].astype(str)
        keep = member_of(ids, groups.focal) | member_of(ids, groups.control)
        rows = (
            rows.loc[keep].assign(**{key: ids[keep]}).sort_values([key, "year"], ignore_index=True)
        )
        for label, members in (("focal", groups.focal), ("comparison", groups.control)):
            absent = np.setdiff1d(members, rows[key].to_numpy(dtype=str))
            if len(absent) and groups.unit.complete:
                raise ValidationError(
                    f"{len(absent)} {label} {groups.unit.plural} of "
                    f"{groups.definition!r} have no panel rows in "
                    f"{list(self.years)} (e.g. {', '.join(absent[:5])})"
                )
        self.rows = rows
        self.ids = rows[key].to_numpy(dtype=str)
        self.year_of = rows["year"].to_numpy(dtype=np.int64)
        self.treated = np.isin(self.ids, groups.focal)


def _demean(values: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    counts = np.bincount(codes, minlength=n_groups)
    if values.ndim == 1:
        return values - (np.bincount(codes, values, n_groups) / counts)[codes]
    return np.column_stack([_demean(values[:, j], codes, n_groups) for j in range(values.shape[1])])


def _fit(y, year_of, codes, n_groups, terms, years):
    year_dummies = np.column_stack([(year_of == yr).astype(float) for yr in years[1:]])
    X = np.column_stack([terms, year_dummies])
    return linear_fit(
        _demean(y, codes, n_groups), _demean(X, codes, n_groups), groups=codes, k_absorbed=1
    )


def _wald_p(params: np.ndarray, cov: np.ndarray, df: int) -> float:
    from scipy.special import fdtrc

    q = len(params)
    try:
        stat = float(params @ np.linalg.solve(cov, params)) / q
    except np.linalg.LinAlgError:
        raise EstimationError("the pre-period gaps have a singular covariance") from None
    return float(fdtrc(q, df, stat))


def did_rows(
    design: PanelDesign,
    outcome: str,
    reference: int = REFERENCE_YEAR,
    balanced: bool = True,
    level: float = 0.95,
    details: list | None = None,
) -> list[dict]:
    if outcome in CONSTANT_OUTCOMES:
        raise AnalysisError(
            f"outcome {outcome!r} has one value per {design.groups.unit.singular} for every year "
            "(ACS 2011-2015), so it has no change to compare"
        )
    for year in design.years:
        check_outcome_year(outcome, year, design.groups.unit)
    if reference not in design.pre:
        raise AnalysisError(
            f"reference year {reference} is not one of the years before {list(design.pre)}"
        )
    groups = design.groups
    y_all = design.rows[outcome].to_numpy(dtype=float, na_value=np.nan)
    ok = ~np.isnan(y_all)
    if balanced:
        complete = pd.Series(ok).groupby(design.ids).transform("all").to_numpy()
        ok &= complete
    focal_ids = set(design.ids[design.treated])
    kept = set(design.ids[ok])
    dropped_focal = len(focal_ids - kept)
    dropped_control = len(set(design.ids[~design.treated]) - kept)
    ids, year_of, treated, y = design.ids[ok], design.year_of[ok], design.treated[ok], y_all[ok]
    n_focal, n_comparison = len(set(ids[treated])), len(set(ids[~treated]))
    options = {
        "weights": "none",
        "covariates": f"{groups.unit.singular} and year fixed effects",
        "estimand": "difference-in-differences (focal minus comparison change, after minus before)",
        "years_before": ",".join(map(str, design.pre)),
        "years_after": ",".join(map(str, design.post)),
        "reference_year": reference,
        "balanced": balanced,
    }
    notes = []
    if dropped_focal or dropped_control:
        notes.append(
            f"dropped {dropped_focal} focal and {dropped_control} comparison "
            f"{groups.unit.plural} without {outcome} in "
            + ("every year" if balanced else "any year")
        )
    dated = [int(v) for v in re.findall(r"(?<!\d)(\d{4})(?!\d)", groups.definition)]
    if dated and max(dated) > max(design.post):
        notes.append(
            f"{groups.definition} lists {groups.unit.plural} as of {max(dated)}; their policies "
            f"may postdate {max(design.post)}, so this compares trends of the groups, "
            "not the effect of 2014 policies"
        )
    if groups.n_overlap_excluded:
        notes.append(
            f"{groups.n_overlap_excluded} {groups.unit.plural} marked cooperating are also "
            f"{groups.focal_group}; they count in the focal group only"
        )
    row = {
        "unit": groups.unit.name,
        "definition": groups.definition,
        "comparison": groups.comparison,
        "focal_group": groups.focal_group,
        "year": None,
        "outcome": outcome,
        "method": "did",
        "n_focal": n_focal,
        "n_comparison": n_comparison,
        "n_dropped_focal": dropped_focal,
        "n_dropped_comparison": dropped_control,
        "n_overlap_excluded": groups.n_overlap_excluded,
        **options,
    }
    try:
        if n_focal < 2 or n_comparison < 2:
            raise EstimationError(
                f"too few {groups.unit.plural} with {outcome}: {n_focal} focal and "
                f"{n_comparison} comparison"
            )
        uniques, codes = np.unique(ids, return_inverse=True)
        codes = codes.ravel()
        years = design.years
        after = np.isin(year_of, design.post)
        main = _fit(
            y, year_of, codes, len(uniques), (treated & after).astype(float)[:, None], years
        )
        beta, se = float(main.params[0]), main.se(0)
        df = main.n_groups - 1
        low, high, p = interval(beta, se, level, df)
        event_years = [yr for yr in years if yr != reference]
        terms = np.column_stack([(treated & (year_of == yr)).astype(float) for yr in event_years])
        event = _fit(y, year_of, codes, len(uniques), terms, years)
        pre_idx = [i for i, yr in enumerate(event_years) if yr in design.pre]
        pretrend = (
            _wald_p(event.params[pre_idx], event.cov[np.ix_(pre_idx, pre_idx)], df)
            if pre_idx
            else np.nan
        )
        if details is not None:
            for yr in years:
                in_year = year_of == yr
                gap_raw = float(y[in_year & treated].mean() - y[in_year & ~treated].mean())
                if yr == reference:
                    gap, gse, glow, ghigh, gp = 0.0, 0.0, 0.0, 0.0, np.nan
                else:
                    i = event_years.index(yr)
                    gap, gse = float(event.params[i]), event.se(i)
                    glow, ghigh, gp = interval(gap, gse, level, df)
                details.append(
                    {
                        "definition": groups.definition,
                        "comparison": groups.comparison,
                        "outcome": outcome,
                        "year": yr,
                        "period": "reference"
                        if yr == reference
                        else ("before" if yr in design.pre else "after"),
                        "gap": gap,
                        "std_error": gse,
                        "ci_low": glow,
                        "ci_high": ghigh,
                        "p_value": gp,
                        "difference_in_means": gap_raw,
                        "n_focal": int((in_year & treated).sum()),
                        "n_comparison": int((in_year & ~treated).sum()),
                    }
                )
        row.update(
            estimate=beta,
            std_error=se,
            ci_low=low,
            ci_high=high,
            p_value=p,
            se_method=(
                f"clustered by {groups.unit.singular} ({main.n_groups} clusters), t with {df} df"
            ),
            pretrend_p_value=pretrend,
            note="; ".join(notes),
        )
    except EstimationError as exc:
        row.update(not_estimated(exc, *notes))
    return [row]


@dataclass(frozen=True)
class DidOptions:
    pre: tuple[int, ...] = option(
        PRE_YEARS, "a year before the policies", metavar="YEAR", design=True
    )
    post: tuple[int, ...] = option(
        POST_YEARS, "a year after the policies", metavar="YEAR", design=True
    )
    reference: int = option(REFERENCE_YEAR, "the year the gaps are measured from", metavar="YEAR")
    balanced: bool = option(True, "only units with the outcome in every year", command_line=False)
    level: float = level_option()

    def __post_init__(self):
        check_level(self.level)


def did_design(panel: pd.DataFrame, groups: Groups, year: int | None, options: DidOptions):
    return PanelDesign(panel, groups, options.pre, options.post)


DID = MethodSpec(
    "did",
    "difference-in-differences around the 2014 policies, unit and year effects",
    DidOptions,
    did_rows,
    did_design,
    details="year-by-year gaps",
    details_name="event_study",
    over_years=lambda options: True,
    design_years=lambda options: (*options.pre, *options.post),
    requires=PANEL,
)
