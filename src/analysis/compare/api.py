"""The public estimators. Each takes a panel and a status Series (unit code ->
"sanctuary" / "cooperating" / "other", named after its definition) and returns a
table with one row per outcome (raw: per outcome and weighting; strata: per outcome
and NCHS class):

    definition, comparison, focal_group, year, outcome, method, estimand,
    estimate, std_error, ci_low, ci_high, p_value, n_focal, n_comparison,
    n_dropped_focal, n_dropped_comparison, n_overlap_excluded, weights,
    covariates, se_method, note, and method-specific columns.

`estimate` is focal minus comparison. `comparison` None compares with all other
units; a 287(g) status Series compares with its cooperating units. `compare` does
the same by definition name.

The per-method functions (`raw`, `permutation`, `match`, `regression`, `ipw`,
`strata`, `did`, `border`, `event_study`, `synth`, `sdid`) are made from the methods' specs
(analysis.compare.methods): each takes its method's options as keywords, with the
defaults and help of its options dataclass (`help(match)` lists them).

A cross-sectional difference, adjusted or not, is not a causal effect: see
docs/methods.md.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable

import pandas as pd

from ..panels import load
from ..panels.geometry import load_neighbours
from ..panels.units import DEFAULT_UNIT, Unit, check_year, resolve_covariates, resolve_outcomes
from ..panels.units import unit as lookup_unit
from . import definitions as by_name  # definitions looked up by name (test seam)
from .border import border_pairs
from .design import Design
from .engine import check_request, estimate
from .groups import make_groups
from .matching import match_sample, matched_pairs
from .methods import METHOD_TABLE, check_method
from .spec import MethodSpec

Outcomes = str | Iterable[str] | None
DEFAULT_YEAR = 2015
# The choices every method takes, as keywords of every per-method function.
SCOPE = {
    "min_population": "leave out units of fewer residents (default: the unit's own cut)",
    "states": "keep the focal units of these states only (postal codes)",
    "min_coverage": "county crime: leave out county-years below this coverage (percent)",
}


def _function(spec: MethodSpec):
    """The library function of a method: its signature from the spec's options."""
    P = inspect.Parameter
    params = [P("panel", P.POSITIONAL_OR_KEYWORD), P("status", P.POSITIONAL_OR_KEYWORD)]
    params += [P(name, P.POSITIONAL_OR_KEYWORD) for name in spec.positional]
    if not spec.over_years(spec.options()):
        params.append(P("year", P.POSITIONAL_OR_KEYWORD, default=DEFAULT_YEAR))
    params.append(P("outcomes", P.POSITIONAL_OR_KEYWORD, default=None))
    params.append(P("comparison", P.KEYWORD_ONLY, default=None))
    if spec.covariates:
        params.append(P("covariates", P.KEYWORD_ONLY, default=spec.default_covariates))
    if spec.details:
        params.append(P(spec.details_name, P.KEYWORD_ONLY, default=False))
    params.append(P("unit", P.KEYWORD_ONLY, default=DEFAULT_UNIT.name))
    options = [o for o in spec.option_list() if o.name not in spec.positional]
    params += [P(o.name, P.KEYWORD_ONLY, default=o.default) for o in options]
    params += [P(name, P.KEYWORD_ONLY, default=None) for name in SCOPE]
    if spec.takes_base:
        params.append(P("base_options", P.VAR_KEYWORD))
    signature = inspect.Signature(params)

    def run(*args, **kwargs):
        given = dict(signature.bind(*args, **kwargs).arguments)  # what the caller gave
        given.update(given.pop("base_options", {}))
        panel, status = given.pop("panel"), given.pop("status")
        year = given.pop("year", DEFAULT_YEAR)
        outcomes = given.pop("outcomes", None)
        comparison = given.pop("comparison", None)
        covariates = given.pop("covariates", None)
        details = given.pop(spec.details_name, False) if spec.details else False
        unit = given.pop("unit", DEFAULT_UNIT.name)
        return estimate(
            panel, status, spec.name, year, outcomes, comparison, covariates, details, unit,
            **given,
        )  # fmt: skip

    run.__name__ = run.__qualname__ = spec.function_name
    run.__module__ = __name__
    run.__signature__ = signature
    lines = [f"{spec.description[0].upper()}{spec.description[1:]}.", ""]
    if spec.details:
        lines.append(f"{spec.details_name}=True returns (table, {spec.details}).")
    lines += ["", "Options:"]
    lines += [f"    {o.name}: {o.help} (default {o.default!r})" for o in spec.option_list()]
    lines += [f"    {name}: {help}" for name, help in SCOPE.items()]
    run.__doc__ = "\n".join(lines)
    return run


raw = _function(METHOD_TABLE["raw"])
permutation = _function(METHOD_TABLE["permutation"])
match = _function(METHOD_TABLE["match"])
regression = _function(METHOD_TABLE["regression"])
ipw = _function(METHOD_TABLE["ipw"])
strata = _function(METHOD_TABLE["strata"])
did = _function(METHOD_TABLE["did"])
border = _function(METHOD_TABLE["border"])
event_study = _function(METHOD_TABLE["event"])
synth = _function(METHOD_TABLE["synth"])
sdid = _function(METHOD_TABLE["sdid"])


def compare(
    definition: str,
    method: str = "raw",
    year: int | None = DEFAULT_YEAR,
    outcomes: Outcomes = None,
    *,
    comparison: str = "all",
    panel: pd.DataFrame | None = None,
    covariates=None,
    details: bool = False,
    unit: str | Unit = DEFAULT_UNIT.name,
    without: Iterable[str] = (),
    **options,
):
    """Any method by definition name, e.g.
    compare("ice2014", "match", 2015, "poverty_pct", comparison="cooperating").

    comparison: "all" (every other unit), "cooperating" (the 287(g) list nearest in
    date) or a g287_* id. unit: a unit of analysis.panels.units (county, city; the
    city panel is the FBI's city table, crime 2010-2019, and cities of under 10,000
    people are left out unless `min_population` says otherwise). The panel is loaded
    when not given. `without`: definitions whose marked units are left out of the
    comparison group (cleaner controls for a state law: places with a local policy of
    their own). A method's options are keywords (see its function, e.g.
    help(analysis.compare.match)).
    """
    spec = METHOD_TABLE[check_method(method)]
    found = lookup_unit(unit)
    check_request(method, covariates, dict(options), found)  # before any data are read
    if panel is None:
        panel = load.load_panel(unit=found)
    status = by_name.definition_status(definition, found)
    other = by_name.comparison_status(definition, comparison, found)
    left = _marked_elsewhere(status, tuple(without), found)
    status = status[~status.index.isin(left)]
    takes = {o.name for o in spec.option_list()}
    if "adoption" in takes and "adoption" not in options:
        options["adoption"] = by_name.adoption_years(definition, found)  # a caller's own win
    if "inference" in takes and options.get("inference") is None:
        # One state made each law of such a list: the state is the unit of inference.
        by_state = by_name.state_rows_only(definition)
        options["inference"] = "placebo_states" if by_state else "cluster"
    result = estimate(
        panel, status, method, year, outcomes, other, covariates, details, unit=found, **options
    )
    if without:
        table = result[0] if details else result
        table["n_left_out_listed"] = len(left)
        said = (
            f"{len(left):,} {found.plural} that {', '.join(without)} mark left out of the "
            "comparison group"
        )
        table["note"] = [f"{n}; {said}" if n else said for n in table["note"].fillna("")]
    return result


def _marked_elsewhere(status: pd.Series, without: tuple[str, ...], unit: Unit) -> set[str]:
    """The units of the comparison group (`other` in `status`) that any of `without`
    marks."""
    if not without:
        return set()
    marked: set[str] = set()
    for name in without:
        other = by_name.definition_status(name, unit)
        marked |= set(other.index[other != "other"])
    return marked & set(status.index[status == "other"])


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
    unit: str | Unit = DEFAULT_UNIT.name,
) -> pd.DataFrame:
    """Who is matched to whom: one row per focal unit and match rank
    (fips_focal, rank, fips_comparison, distance), for maps and checks."""
    found = lookup_unit(unit)
    (outcome,) = resolve_outcomes(outcome, check_year(year, found), found)
    _, columns = resolve_covariates(covariates, found)
    design = Design(panel, make_groups(status, comparison, found), year)
    sample = design.sample(outcome, columns, extra=tuple(exact))
    matching = match_sample(sample, n_neighbours, replacement, caliper, tuple(exact), metric)
    return pd.DataFrame.from_records(matched_pairs(design, sample, matching))


# The one-year methods side by side, each with the choices of the page.
SIDE_BY_SIDE = ("raw", "permutation", "match", "regression", "ipw")


def side_by_side(
    definition: str,
    year: int,
    outcomes: Outcomes,
    *,
    comparison: str = "all",
    covariates=None,
    weights: str = "none",
    panel: pd.DataFrame | None = None,
    unit: str | Unit = DEFAULT_UNIT.name,
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
            **runs[method],
        )  # fmt: skip
        for method in SIDE_BY_SIDE
    ]
    return pd.concat(tables, ignore_index=True)


def counties_by_group(
    panel: pd.DataFrame,
    definition: str,
    year: int,
    comparison: str = "all",
    unit: str | Unit = DEFAULT_UNIT.name,
) -> tuple[pd.DataFrame, object]:
    """The year's panel rows of the focal and comparison units (counties, or the cities
    the year's table lists), indexed by their code, with a `group` column (the focal
    group's name, or "comparison"), and the Groups."""
    found = lookup_unit(unit)
    groups = make_groups(
        by_name.definition_status(definition, found),
        by_name.comparison_status(definition, comparison, found),
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
