"""Neighbouring-county ("border pair") comparisons.

Design. Each focal (sanctuary) county is compared with each county that
touches it and that the definition puts in the comparison group, as Dube,
Lester and Reich (2010) compare contiguous counties on either side of a
state line where the minimum wage differs (full reference below).
data/reference/published_findings.csv records the same design applied to
sanctuary policies: a 2017 working paper by Matias Arellano-Bover and
Barbara Biasi compares counties on the 2014 ICE no-detainer list with the
counties bordering them. Neighbours share labour markets, climate, history
and shocks, so a gap within a pair is less likely to
reflect where the county is than a gap between the whole groups; the price
is a smaller, urban-fringe sample (a sanctuary city's county against its
suburbs), and spillovers across the line (crime, commuting, people moving)
bias the within-pair gap towards zero or away from it. Sanctuary status is
a county policy, so any adjacent pair on opposite sides counts, whether or
not the line is also a state line.

Adjacency. Two counties are neighbours when their 2015 cartographic
boundaries (1:20m) touch: queen contiguity, a shared edge or a shared
corner (`adjacent_pairs`, with libpysal). Cartographic boundary files are
clipped to the shoreline, so counties across a bay or a strait (San
Francisco and Marin across the Golden Gate) are not neighbours: a bridge
does not make a border. Island counties (Hawaii's, Nantucket, San Juan WA)
have no neighbour and drop out of the design.

Estimators. Every pair has the same weight, so a county with many
neighbours counts once per pair it belongs to:

- `pair_difference`: the mean over pairs of focal minus neighbour in one
  year's outcome, the regression d_p ~ 1 on the pairs.
- `pair_difference_in_changes`: the mean over pairs of the focal county's
  change (mean of the post years minus mean of the pre years) minus its
  neighbour's, estimated on the stacked pair panel (each pair's two counties
  in each year; a county in k pairs appears k times) as
  y ~ focal x post | pair^county + pair^year, the specification of Dube,
  Lester and Reich with pair-specific year effects. On pairs whose two
  counties have every year (the only pairs it keeps), the coefficient
  equals the mean of the pairs' differences in changes.

Standard errors. Pairs are not independent: a sanctuary county with three
comparison neighbours is in three pairs, and a shock to it moves all three
differences; a comparison county bordering two sanctuary counties links two
pairs the same way. The variance is therefore clustered two ways, by the
pair's focal county and by its neighbour county (Cameron, Gelbach and
Miller 2011: V = V_focal + V_neighbour - V_pair), computed by pyfixest with
the factor G/(G-1), G = min(G_focal, G_neighbour), and no (N-1)/(N-K)
factor: every fixed effect of the stacked panel lies within a pair, hence
within both clusters, and without that factor the stacked regression gives
exactly the standard error of the pair-level regression. Intervals and
p-values use Student t with min(G_focal, G_neighbour) - 1 degrees of
freedom. When every county is in one pair only, the variance reduces to the
usual heteroskedasticity-robust one over pairs.

References: A. Dube, T. W. Lester and M. Reich (2010), "Minimum wage effects
across state borders: estimates using contiguous counties", Review of
Economics and Statistics 92(4), 945-964. A. C. Cameron, J. B. Gelbach and
D. L. Miller (2011), "Robust inference with multiway clustering", Journal of
Business & Economic Statistics 29(2), 238-249.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.errors import AnalysisError, EstimationError, ValidationError
from ..panels.geometry import ADJACENCY_COLUMNS, load_neighbours
from ..panels.units import BORDER_PAIRS
from .design import not_estimated
from .spec import MethodSpec, check_level, level_option, option
from .stats import interval

PAIR_COLUMNS = ["pair", "fips_focal", "fips_neighbour"]


def _fips_array(values: Iterable, role: str) -> np.ndarray:
    if isinstance(values, str):
        raise AnalysisError(f"the {role} counties must be a list or array of FIPS codes, not a str")
    return np.unique(np.asarray(list(values), dtype=str))


def border_pairs(adjacency: pd.DataFrame, focal, comparison) -> pd.DataFrame:
    """The adjacent pairs that a definition puts on opposite sides.

    `adjacency`: [fips_a, fips_b] from `adjacent_pairs`. `focal`,
    `comparison`: FIPS codes of the two groups (`Groups.focal`,
    `Groups.control`), which must not overlap. A pair of two focal counties,
    or of two comparison counties, or with a county in neither group, is not
    a border pair. A county may be in several pairs.

    Returns a DataFrame [pair, fips_focal, fips_neighbour], sorted, with
    `pair` the label "<focal>-<neighbour>"; empty when the groups never touch.
    """
    missing = [c for c in ADJACENCY_COLUMNS if c not in adjacency.columns]
    if missing:
        raise AnalysisError(
            f"the adjacency table needs columns {ADJACENCY_COLUMNS} (from adjacent_pairs); "
            f"it lacks {missing}"
        )
    focal, comparison = _fips_array(focal, "focal"), _fips_array(comparison, "comparison")
    both = np.intersect1d(focal, comparison)
    if len(both):
        raise ValidationError(
            f"{len(both)} counties are in both the focal and the comparison group "
            f"(e.g. {', '.join(both[:5])}); a county can be on one side of the line only"
        )
    a = adjacency["fips_a"].to_numpy(dtype=str)
    b = adjacency["fips_b"].to_numpy(dtype=str)
    a_focal, b_focal = np.isin(a, focal), np.isin(b, focal)
    a_comparison, b_comparison = np.isin(a, comparison), np.isin(b, comparison)
    forward = a_focal & b_comparison
    backward = b_focal & a_comparison
    table = pd.DataFrame(
        {
            "fips_focal": np.concatenate([a[forward], b[backward]]),
            "fips_neighbour": np.concatenate([b[forward], a[backward]]),
        }
    ).drop_duplicates()
    table = table.sort_values(["fips_focal", "fips_neighbour"], ignore_index=True)
    table.insert(0, "pair", table["fips_focal"] + "-" + table["fips_neighbour"])
    return table


# --- estimators ---------------------------------------------------------------------


def _check_pairs(pairs: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in PAIR_COLUMNS if c not in pairs.columns]
    if missing:
        raise AnalysisError(
            f"the pair table needs columns {PAIR_COLUMNS} (from border_pairs); it lacks {missing}"
        )
    pairs = pairs[PAIR_COLUMNS].astype(str)
    if pairs.empty:
        raise EstimationError(
            "there are no border pairs: no focal county touches a county of the comparison "
            "group, so the neighbouring-county comparison has nothing to compare"
        )
    if pairs["pair"].duplicated().any():
        dupes = pairs.loc[pairs["pair"].duplicated(), "pair"].unique()[:5]
        raise ValidationError(f"the pair table lists pairs more than once: {', '.join(dupes)}")
    return pairs


def _two_way_fit(
    data: pd.DataFrame,
    formula: str,
    term: str,
    level: float,
    focal_group: str,
) -> dict:
    """Fit `formula` with pyfixest, errors clustered by the pair's focal county
    and by its neighbour county; the coefficient on `term` with a t interval."""
    import pyfixest as pf

    n_focal = int(data["focal_county"].nunique())
    n_neighbour = int(data["neighbour_county"].nunique())
    clusters = min(n_focal, n_neighbour)
    if clusters < 2:
        raise EstimationError(
            f"the border pairs have {n_focal} {focal_group} and {n_neighbour} neighbour "
            "counties; clustering by each needs at least two of both"
        )
    with warnings.catch_warnings():
        # pyfixest's notices (beta features, dropped singletons, a t statistic of an exact
        # fit) are not the reader's concern; the counts in the result say which pairs were used
        warnings.simplefilter("ignore")
        try:
            fit = pf.feols(
                formula,
                data=data,
                vcov={"CRV1": "focal_county + neighbour_county"},
                # G/(G-1) with the smaller G; no (N-1)/(N-K), see the module docstring
                ssc=pf.ssc(k_adj=False, G_adj=True, G_df="min"),
            )
            estimate, se = float(fit.coef()[term]), float(fit.se()[term])
        except (ValueError, RuntimeError, np.linalg.LinAlgError) as exc:
            raise EstimationError(f"pyfixest could not fit the border-pair model ({exc})") from None
    if not np.isfinite(se):
        # V_focal + V_neighbour - V_pair need not be positive in small samples; pyfixest then
        # gives no standard error. (A zero error, an exact fit, is kept: its interval is NaN.)
        raise EstimationError(
            f"the two-way clustered variance is not positive with {n_focal} {focal_group} "
            f"and {n_neighbour} neighbour counties, so it gives no standard error"
        )
    df = clusters - 1
    low, high, p = interval(estimate, se, level, df)
    return {
        "estimate": estimate,
        "std_error": se,
        "ci_low": low,
        "ci_high": high,
        "p_value": p,
        "n_focal": n_focal,
        "n_comparison": n_neighbour,
        "df": df,
        "se_method": (
            f"two-way clustered by {focal_group} county ({n_focal}) and neighbour county "
            f"({n_neighbour}), t with {df} df"
        ),
    }


def _cluster_columns(pairs: pd.DataFrame) -> pd.DataFrame:
    return pairs.assign(focal_county=pairs["fips_focal"], neighbour_county=pairs["fips_neighbour"])


def pair_difference(
    pairs: pd.DataFrame,
    values: pd.Series,
    level: float = 0.95,
    focal_group: str = "sanctuary",
) -> dict:
    """Mean within-pair difference, focal minus neighbour, of one outcome.

    `pairs`: [pair, fips_focal, fips_neighbour] from `border_pairs`;
    `values`: a Series fips -> outcome (one year's values). Pairs where either
    county has no value are dropped and counted (`n_pairs_dropped`); every
    other pair has weight 1 / n_pairs. Estimated as d_p ~ 1 over pairs with
    errors clustered by focal and by neighbour county (module docstring).

    Returns a dict: estimate, std_error, ci_low, ci_high, p_value, n_pairs,
    n_pairs_dropped, n_focal (distinct focal counties in the pairs used),
    n_comparison (distinct neighbours), df, se_method, estimand, note.
    """
    pairs = _check_pairs(pairs)
    if not isinstance(values, pd.Series):
        raise AnalysisError(
            f"values must be a pandas Series indexed by FIPS code; got {type(values).__name__}"
        )
    values = pd.Series(
        pd.to_numeric(values, errors="raise").to_numpy(dtype=float, na_value=np.nan),
        index=values.index.astype(str),
    )
    if values.index.has_duplicates:
        dupes = sorted(set(values.index[values.index.duplicated()]))[:5]
        raise ValidationError(f"values lists counties more than once: {', '.join(dupes)}")
    difference = pairs["fips_focal"].map(values) - pairs["fips_neighbour"].map(values)
    usable = difference.notna().to_numpy()
    dropped = int((~usable).sum())
    if not usable.any():
        raise EstimationError(
            f"none of the {len(pairs)} border pairs has a value for both counties"
        )
    data = _cluster_columns(pairs.loc[usable]).assign(d=difference[usable].to_numpy())
    result = _two_way_fit(data, "d ~ 1", "Intercept", level, focal_group)
    return _finish(result, len(data), dropped, "missing the value", "focal minus neighbour")


def _years(pre_years, post_years) -> tuple[tuple[int, ...], tuple[int, ...]]:
    pre = tuple(sorted({int(y) for y in pre_years}))
    post = tuple(sorted({int(y) for y in post_years}))
    if not pre or not post or max(pre) >= min(post):
        raise AnalysisError(
            f"the years before {list(pre)} must all precede the years after {list(post)}, "
            "and neither may be empty"
        )
    return pre, post


def pair_difference_in_changes(
    pairs: pd.DataFrame,
    panel_rows: pd.DataFrame,
    outcome: str,
    pre_years,
    post_years,
    level: float = 0.95,
    focal_group: str = "sanctuary",
) -> dict:
    """Within-pair difference in the change of `outcome`, from the mean of the
    pre years to the mean of the post years, focal minus neighbour.

    `panel_rows`: the panel in long form (columns fips, year, `outcome`),
    one row per county and year. Only pairs whose two counties have the
    outcome in every pre and post year are used (balanced pairs; the others
    are counted in `n_pairs_dropped`): with them the estimate is exactly the
    mean over pairs of (change focal - change neighbour), each pair weighted
    equally, and pair-specific year effects remove every shock the two
    neighbours share.

    Estimated on the stacked pair panel as
    y ~ focal x post | pair^county + pair^year, errors clustered by focal
    and by neighbour county (module docstring).

    Returns a dict like `pair_difference` (estimate, std_error, ci_low,
    ci_high, p_value, n_pairs, n_pairs_dropped, n_focal, n_comparison, df,
    se_method, estimand, note) and years_before, years_after.
    """
    pairs = _check_pairs(pairs)
    pre, post = _years(pre_years, post_years)
    years = pre + post
    missing = [c for c in ("fips", "year", outcome) if c not in panel_rows.columns]
    if missing:
        raise AnalysisError(f"the panel rows lack column(s) {missing}")
    rows = panel_rows.loc[panel_rows["year"].isin(years), ["fips", "year", outcome]]
    rows = pd.DataFrame(
        {
            "fips": rows["fips"].astype(str).to_numpy(),
            "year": rows["year"].to_numpy(dtype=np.int64),
            "y": pd.to_numeric(rows[outcome]).to_numpy(dtype=float, na_value=np.nan),
        }
    )
    if rows.duplicated(["fips", "year"]).any():
        dupes = rows.loc[rows.duplicated(["fips", "year"]), "fips"].unique()[:5]
        raise ValidationError(
            f"the panel has more than one row per county and year for: {', '.join(dupes)}"
        )
    have = rows.dropna(subset=["y"]).groupby("fips")["year"].nunique()
    complete = have.index[have == len(years)]
    usable = pairs["fips_focal"].isin(complete) & pairs["fips_neighbour"].isin(complete)
    usable = usable.to_numpy()
    dropped = int((~usable).sum())
    if not usable.any():
        raise EstimationError(
            f"none of the {len(pairs)} border pairs has {outcome} for both counties in every "
            f"year of {list(years)}"
        )
    used = _cluster_columns(pairs.loc[usable])
    # the stacked panel: each pair's focal and neighbour county in each year; a county in
    # k pairs appears k times, so each pair has the same weight
    sides = pd.concat(
        [
            used.assign(fips=used["fips_focal"], focal=1),
            used.assign(fips=used["fips_neighbour"], focal=0),
        ],
        ignore_index=True,
    )
    stacked = sides.merge(rows.dropna(subset=["y"]), on="fips", how="inner", validate="m:m")
    stacked["focal_post"] = (stacked["focal"] * stacked["year"].isin(post)).astype(float)
    stacked["unit"] = stacked["fips"]
    result = _two_way_fit(
        stacked,
        "y ~ focal_post | pair^unit + pair^year",
        "focal_post",
        level,
        focal_group,
    )
    result = _finish(
        result,
        len(used),
        dropped,
        f"without {outcome} in every year",
        "difference in changes, focal minus neighbour (mean of the years after minus "
        "mean of the years before)",
    )
    result.update(
        years_before=",".join(map(str, pre)),
        years_after=",".join(map(str, post)),
    )
    return result


def _finish(result: dict, n_pairs: int, dropped: int, why: str, estimand: str) -> dict:
    result = {
        **result,
        "n_pairs": n_pairs,
        "n_pairs_dropped": dropped,
        "estimand": f"mean over border pairs (each weighted equally) of {estimand}",
        "note": f"dropped {dropped} border pairs with a county {why}" if dropped else "",
    }
    order = [
        "estimate",
        "std_error",
        "ci_low",
        "ci_high",
        "p_value",
        "n_pairs",
        "n_pairs_dropped",
        "n_focal",
        "n_comparison",
        "df",
        "se_method",
        "estimand",
        "note",
    ]
    return {key: result[key] for key in order}


# --- the method in the engine (compare(..., "border")) ----------------------------------


class BorderDesign:
    """The border pairs a definition's groups form, and the panel rows they need: one
    year's (`year`) or the years before and after (`pre`, `post`)."""

    def __init__(self, panel: pd.DataFrame, groups, year: int | None, pre=(), post=()):
        if year is None and not (pre and post):
            raise AnalysisError(
                "the border comparison needs a year (the gap within pairs) or years before "
                "and after (pre=, post=: the gap in the change within pairs)"
            )
        self.groups, self.year = groups, year
        self.pre, self.post = tuple(pre), tuple(post)
        self.years = (year,) if year is not None else tuple(sorted({*pre, *post}))
        self.pairs = border_pairs(load_neighbours(), groups.focal, groups.control)
        rows = panel[panel["year"].isin(self.years)]
        self.rows = rows.assign(fips=rows["fips"].astype(str))


def border_rows(design: BorderDesign, outcome: str, level: float = 0.95) -> list[dict]:
    groups = design.groups
    base = {
        "unit": groups.unit.name,
        "definition": groups.definition,
        "comparison": groups.comparison,
        "focal_group": groups.focal_group,
        "year": design.year,
        "outcome": outcome,
        "method": "border",
        "weights": "none",
        "covariates": "",
        "n_overlap_excluded": groups.n_overlap_excluded,
        "n_dropped_focal": 0,
        "n_dropped_comparison": 0,
    }
    try:
        if design.pairs.empty:
            raise EstimationError(
                f"no {groups.focal_group} county of {groups.definition} borders a county of the "
                "comparison group"
            )
        if design.year is not None:
            values = design.rows.set_index("fips")[outcome]
            result = pair_difference(design.pairs, values, level, groups.focal_group)
        else:
            result = pair_difference_in_changes(
                design.pairs, design.rows, outcome, design.pre, design.post, level,
                groups.focal_group,
            )  # fmt: skip
    except EstimationError as exc:
        return [
            {
                **base,
                "estimand": "mean within-pair difference, focal minus neighbour",
                "n_focal": 0,
                "n_comparison": 0,
                "n_pairs": len(design.pairs),
                **not_estimated(exc),
            }
        ]
    result.pop("df", None)
    return [{**base, **result}]


@dataclass(frozen=True)
class BorderOptions:
    pre: tuple[int, ...] = option(
        (), "with post: a year before (the change within pairs)", metavar="YEAR", design=True
    )
    post: tuple[int, ...] = option(
        (), "with pre: a year after (the change within pairs)", metavar="YEAR", design=True
    )
    level: float = level_option()

    def __post_init__(self):
        check_level(self.level)


def border_design(panel: pd.DataFrame, groups, year: int | None, options: BorderOptions):
    return BorderDesign(panel, groups, year, options.pre, options.post)


BORDER = MethodSpec(
    "border",
    "neighbouring counties on either side of the line: the mean within-pair difference (a "
    "year) or difference in changes (pre/post), each pair weighted equally, errors "
    "clustered by both counties of a pair",
    BorderOptions,
    border_rows,
    border_design,
    over_years=lambda options: bool(options.post),
    design_years=lambda options: (*options.pre, *options.post),
    requires=BORDER_PAIRS,
)
