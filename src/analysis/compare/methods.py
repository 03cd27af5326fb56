"""Every comparison method in one place: what it estimates, where its rows are
computed, the options it takes, whether it takes covariates, the second table
it can return, and whether it runs on one year or on the panel years.

The engine, the specification curve, the per-method functions, the report
parameter checks and the command line all read this table; a new method is an
entry here and a rows function in its module.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from ..core.errors import UnknownChoice


@dataclass(frozen=True)
class Method:
    name: str
    description: str
    module: str  # in analysis.compare
    function: str  # rows(design, outcome, **options) -> list[dict]
    options: frozenset[str]  # keyword options besides covariates and details
    covariates: bool = False  # takes a covariate set
    details: str = ""  # what details=True returns beside the table
    panel: bool = False  # runs on several panel years, not one year
    layout: str = "year"  # the design it runs on: year, did (before/after) or event
    default_covariates: str | None = None  # covariate set when none is given (None: the unit's)
    units: tuple[str, ...] = ("county", "city")  # the panels it runs on
    units_note: str = ""  # why it does not run on the others, in one line

    def rows_function(self):
        return getattr(importlib.import_module(f".{self.module}", __package__), self.function)


METHOD_TABLE: dict[str, Method] = {
    m.name: m
    for m in [
        Method(
            "raw",
            "difference in means, unweighted and population-weighted",
            "descriptive",
            "raw_rows",
            frozenset({"weights", "level"}),
        ),
        Method(
            "permutation",
            "difference in means with a permutation p-value and interval",
            "descriptive",
            "permutation_rows",
            frozenset({"weights", "n_permutations", "within", "seed", "level"}),
        ),
        Method(
            "match",
            "nearest-neighbour matching on covariates, ATT",
            "matching",
            "match_rows",
            frozenset(
                {
                    "n_neighbours",
                    "replacement",
                    "caliper",
                    "exact",
                    "metric",
                    "se",
                    "n_boot",
                    "variance_neighbours",
                    "seed",
                    "level",
                }
            ),
            covariates=True,
            details="balance",
        ),
        Method(
            "regression",
            "OLS of the outcome on the group indicator and covariates, robust errors",
            "adjust",
            "regression_rows",
            frozenset({"cov_type", "weights", "level"}),
            covariates=True,
        ),
        Method(
            "ipw",
            "inverse-probability weighting with a logit propensity score",
            "adjust",
            "ipw_rows",
            frozenset({"estimand", "level"}),
            covariates=True,
        ),
        Method(
            "strata",
            "a base method run within each NCHS urban-rural class",
            "strata",
            "strata_rows",
            frozenset({"base"}),
            covariates=True,
            details="balance",
        ),
        Method(
            "did",
            "difference-in-differences around the 2014 policies, county and year effects",
            "did",
            "did_rows",
            frozenset({"pre", "post", "reference", "balanced", "level"}),
            details="year-by-year gaps",
            panel=True,
            layout="did",
        ),
        Method(
            "border",
            "neighbouring counties on either side of the line: the mean within-pair "
            "difference (a year) or difference in changes (pre/post), each pair weighted "
            "equally, errors clustered by both counties of a pair",
            "border",
            "border_rows",
            frozenset({"pre", "post", "level"}),
            layout="border",
            units=("county",),
            units_note="border pairs are neighbouring counties; the city panel has no "
            "boundaries to share, so run it with unit='county'",
        ),
        Method(
            "event",
            "event study by year relative to each county's adoption year, "
            "heterogeneity-robust (pyfixest: Sun-Abraham or Gardner two-stage)",
            "event",
            "event_rows",
            frozenset({"controls", "within", "level", "adoption", "years"}),
            covariates=True,
            details="robust intervals of the average after adoption (Rambachan-Roth)",
            panel=True,
            layout="event",
            default_covariates="none",
        ),
    ]
}

METHODS: dict[str, str] = {name: m.description for name, m in METHOD_TABLE.items()}
USES_COVARIATES = frozenset(name for name, m in METHOD_TABLE.items() if m.covariates)
# Options that lay out the design (its years, adoption timing), not its rows.
DESIGN_OPTIONS = frozenset({"pre", "post", "adoption", "years"})


def method(name: str) -> Method:
    if name not in METHOD_TABLE:
        raise UnknownChoice("method", name, METHOD_TABLE)
    return METHOD_TABLE[name]


def check_method(name: str) -> str:
    return method(name).name
