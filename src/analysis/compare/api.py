"""The public estimators. Each takes the county panel and a status Series
(fips -> "sanctuary" / "cooperating" / "other", named after its definition)
and returns a table with one row per outcome (raw: per outcome and
weighting; strata: per outcome and NCHS class):

    definition, comparison, focal_group, year, outcome, method, estimand,
    estimate, std_error, ci_low, ci_high, p_value, n_focal, n_comparison,
    n_dropped_focal, n_dropped_comparison, n_overlap_excluded, weights,
    covariates, se_method, note, and method-specific columns.

`estimate` is focal minus comparison. `comparison` None compares with all
other counties; a 287(g) status Series compares with its cooperating
counties. `compare` does the same by definition name.

A cross-sectional difference, adjusted or not, is not a causal effect: see
docs/methods.md.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..panels import load
from ..panels.geometry import load_neighbours
from ..panels.units import unit as lookup_unit
from ..panels.years import default_window
from . import definitions as by_name  # definitions looked up by name (test seam)
from .border import border_pairs
from .choices import (
    check_choice,
    check_weights,
    check_year,
    resolve_covariates,
    resolve_outcomes,
)
from .descriptive import WEIGHTINGS
from .design import Design
from .engine import check_request, estimate
from .groups import make_groups
from .matching import match_sample, matched_pairs
from .methods import check_method

Outcomes = str | Iterable[str] | None


def raw(
    panel: pd.DataFrame,
    status: pd.Series,
    year: int = 2015,
    outcomes: Outcomes = None,
    *,
    comparison: pd.Series | None = None,
    weights: str = "both",
    level: float = 0.95,
    unit: str = "county",
) -> pd.DataFrame:
    """Difference in means; weights "none", "population" or "both" (two rows)."""
    check_choice("weights", weights, WEIGHTINGS)
    return estimate(
        panel, status, "raw", year, outcomes, comparison, weights=weights, level=level, unit=unit
    )


def permutation(
    panel: pd.DataFrame,
    status: pd.Series,
    year: int = 2015,
    outcomes: Outcomes = None,
    *,
    comparison: pd.Series | None = None,
    weights: str = "none",
    n_permutations: int = 2000,
    within: str | None = None,
    seed: int = 0,
    level: float = 0.95,
    unit: str = "county",
) -> pd.DataFrame:
    """Difference in means with a permutation p-value and interval;
    within="nchs" reassigns labels only within NCHS urban-rural classes."""
    check_weights(weights)
    check_choice("permutation block", within, [None, "nchs"])
    if n_permutations < 1:
        raise ValueError(f"n_permutations must be positive, got {n_permutations}")
    return estimate(
        panel,
        status,
        "permutation",
        year,
        outcomes,
        comparison,
        weights=weights,
        n_permutations=n_permutations,
        within=within,
        seed=seed,
        level=level,
        unit=unit,
    )


def match(
    panel: pd.DataFrame,
    status: pd.Series,
    year: int = 2015,
    outcomes: Outcomes = None,
    *,
    comparison: pd.Series | None = None,
    covariates="cap",
    n_neighbours: int = 1,
    replacement: bool = True,
    caliper: float | None = None,
    exact: Iterable[str] = (),
    metric: str = "standardized",
    se: str = "abadie-imbens",
    n_boot: int = 1000,
    variance_neighbours: int = 2,
    seed: int = 0,
    level: float = 0.95,
    balance: bool = False,
    unit: str = "county",
):
    """Nearest-neighbour matching ATT (see analysis.compare.matching).
    balance=True returns (table, balance table with smd_before/smd_after)."""
    return estimate(
        panel,
        status,
        "match",
        year,
        outcomes,
        comparison,
        covariates,
        details=balance,
        n_neighbours=n_neighbours,
        replacement=replacement,
        caliper=caliper,
        exact=tuple(exact),
        metric=metric,
        se=se,
        n_boot=n_boot,
        variance_neighbours=variance_neighbours,
        seed=seed,
        level=level,
        unit=unit,
    )


def regression(
    panel: pd.DataFrame,
    status: pd.Series,
    year: int = 2015,
    outcomes: Outcomes = None,
    *,
    comparison: pd.Series | None = None,
    covariates="cap",
    cov_type: str = "HC1",
    weights: str = "none",
    level: float = 0.95,
    unit: str = "county",
) -> pd.DataFrame:
    """OLS (or population-weighted least squares) with robust errors."""
    check_weights(weights)
    return estimate(
        panel,
        status,
        "regression",
        year,
        outcomes,
        comparison,
        covariates,
        cov_type=cov_type,
        weights=weights,
        level=level,
        unit=unit,
    )


def ipw(
    panel: pd.DataFrame,
    status: pd.Series,
    year: int = 2015,
    outcomes: Outcomes = None,
    *,
    comparison: pd.Series | None = None,
    covariates="cap",
    estimand: str = "att",
    level: float = 0.95,
    unit: str = "county",
) -> pd.DataFrame:
    """Inverse-probability weighting with a logit propensity score."""
    return estimate(
        panel,
        status,
        "ipw",
        year,
        outcomes,
        comparison,
        covariates,
        estimand=estimand,
        level=level,
        unit=unit,
    )


def strata(
    panel: pd.DataFrame,
    status: pd.Series,
    year: int = 2015,
    outcomes: Outcomes = None,
    *,
    comparison: pd.Series | None = None,
    base: str = "match",
    covariates="cap",
    balance: bool = False,
    unit: str = "county",
    **base_options,
):
    """`base` method within each NCHS urban-rural class (one row per class)."""
    return estimate(
        panel,
        status,
        "strata",
        year,
        outcomes,
        comparison,
        covariates,
        details=balance,
        base=base,
        **base_options,
        unit=unit,
    )


def did(
    panel: pd.DataFrame,
    status: pd.Series,
    outcomes: Outcomes = None,
    *,
    comparison: pd.Series | None = None,
    pre: Iterable[int] = (2010, 2012),
    post: Iterable[int] = (2015, 2016),
    reference: int = 2012,
    balanced: bool = True,
    level: float = 0.95,
    event_study: bool = False,
    unit: str = "county",
):
    """Two-way fixed-effects difference-in-differences with county-clustered
    errors; event_study=True returns (table, year-by-year gaps)."""
    return estimate(
        panel,
        status,
        "did",
        None,
        outcomes,
        comparison,
        details=event_study,
        pre=tuple(pre),
        post=tuple(post),
        reference=reference,
        balanced=balanced,
        level=level,
        unit=unit,
    )


def event_study(
    panel: pd.DataFrame,
    status: pd.Series,
    adoption: pd.Series,
    outcomes: Outcomes = None,
    *,
    comparison: pd.Series | None = None,
    controls: str = "never",
    covariates="none",
    within: str | None = None,
    years: Iterable[int] | None = None,
    level: float = 0.95,
    unit: str = "county",
) -> pd.DataFrame:
    """Event study by year relative to adoption (analysis.compare.event): one row per
    outcome and relative year, and an "after (average)" row. `adoption`: fips -> the
    year each focal county's policy began. controls: "never" (Sun-Abraham) or
    "not_yet" (Gardner two-stage); within="nchs": year effects per NCHS class. `years`:
    the calendar years studied (default 2010-2019: a wider window reaches into the
    pandemic years, 2020-2021, which moved unemployment everywhere)."""
    return estimate(
        panel,
        status,
        "event",
        None,
        outcomes,
        comparison,
        covariates,
        adoption=adoption,
        years=tuple(years or default_window()),
        controls=controls,
        within=within,
        level=level,
        unit=unit,
    )


def compare(
    definition: str,
    method: str = "raw",
    year: int | None = 2015,
    outcomes: Outcomes = None,
    *,
    comparison: str = "all",
    panel: pd.DataFrame | None = None,
    covariates=None,
    details: bool = False,
    unit: str = "county",
    **options,
):
    """Any method by definition name, e.g.
    compare("ice2014", "match", 2015, "poverty_pct", comparison="cooperating").

    comparison: "all" (every other county, or city), "cooperating" (the 287(g) list
    nearest in date) or a g287_* id. unit: "county" or "city" (the FBI's city table,
    crime 2010-2019; cities of under 10,000 people are left out unless
    `min_population` says otherwise). The panel is loaded when not given.
    """
    check_method(method)
    unit = lookup_unit(unit).name
    check_request(method, covariates, dict(options), unit)  # before any data are read
    if panel is None:
        panel = load.load_panel(unit=unit)
    status = by_name.definition_status(definition, unit)
    other = by_name.comparison_status(definition, comparison, unit)
    if method == "event":
        year = None
        if "adoption" not in options:  # a caller's own dates win
            options["adoption"] = by_name.adoption_years(definition, unit)
    return estimate(
        panel, status, method, year, outcomes, other, covariates, details, unit=unit, **options
    )


def matched_sets(
    panel: pd.DataFrame,
    status: pd.Series,
    year: int,
    outcome: str,
    *,
    comparison: pd.Series | None = None,
    covariates="cap",
    n_neighbours: int = 1,
    replacement: bool = True,
    caliper: float | None = None,
    exact: Iterable[str] = (),
    metric: str = "standardized",
) -> pd.DataFrame:
    """Who is matched to whom: one row per focal county and match rank
    (fips_focal, rank, fips_comparison, distance), for maps and checks."""
    (outcome,) = resolve_outcomes(outcome, check_year(year))
    _, columns = resolve_covariates(covariates)
    design = Design(panel, make_groups(status, comparison), year)
    sample = design.sample(outcome, columns, extra=tuple(exact))
    matching = match_sample(sample, n_neighbours, replacement, caliper, tuple(exact), metric)
    return pd.DataFrame.from_records(matched_pairs(design, sample, matching))


def side_by_side(
    definition: str,
    year: int,
    outcomes: Outcomes,
    *,
    comparison: str = "all",
    covariates=None,
    weights: str = "none",
    panel: pd.DataFrame | None = None,
    unit: str = "county",
) -> pd.DataFrame:
    """Every cross-sectional method for the same groups, year and outcomes, one table:
    the difference in means (unweighted and population-weighted), the permutation
    test, matching, regression and IPW (covariates: the unit's default set when None)."""
    runs = {
        "raw": {"weights": "both"},
        "permutation": {"weights": weights},
        "match": {"covariates": covariates},
        "regression": {"covariates": covariates, "weights": weights},
        "ipw": {"covariates": covariates},
    }
    tables = [
        compare(
            definition,
            method,
            year,
            outcomes,
            comparison=comparison,
            panel=panel,
            unit=unit,
            **options,
        )  # fmt: skip
        for method, options in runs.items()
    ]
    return pd.concat(tables, ignore_index=True)


def counties_by_group(
    panel: pd.DataFrame,
    definition: str,
    year: int,
    comparison: str = "all",
    unit: str = "county",
) -> tuple[pd.DataFrame, object]:
    """The year's panel rows of the focal and comparison units (counties, or the cities
    the year's table lists), indexed by their code, with a `group` column (the focal
    group's name, or "comparison"), and the Groups."""
    found = lookup_unit(unit)
    groups = make_groups(
        by_name.definition_status(definition, found.name),
        by_name.comparison_status(definition, comparison, found.name),
        found,
    )
    rows = panel[panel["year"] == year].set_index(found.key)
    group = pd.Series(groups.focal_group, index=groups.focal)
    group = pd.concat([group, pd.Series("comparison", index=groups.control)])
    group = group[group.index.isin(rows.index)]  # a city the year's table lacks
    return rows.loc[group.index].assign(group=group), groups


def border_pairs_of(definition: str, comparison: str = "all") -> pd.DataFrame:
    """The neighbouring-county pairs a definition puts on opposite sides of the line
    (pair, fips_focal, fips_neighbour), for maps and checks."""
    groups = make_groups(
        by_name.definition_status(definition), by_name.comparison_status(definition, comparison)
    )
    return border_pairs(load_neighbours(), groups.focal, groups.control)
