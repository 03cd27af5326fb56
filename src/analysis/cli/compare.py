"""`python -m analysis compare`: one comparison table for scripts and checks.

    python -m analysis compare --definition ice2014 --year 2015 \\
        --outcome poverty_pct --method match --format csv
    python -m analysis compare --definition ice2014 --method event \\
        --outcome poverty_pct --covariates none --format csv
    python -m analysis compare --unit city --definition dhs2025 --method match \\
        --year 2016 --outcome violent_per_10k --format csv

Options that a method does not take are an error, as are unknown
definitions, outcomes, methods and covariates (the message lists the valid
ones).
"""

from __future__ import annotations

import math
import sys

from ..panels.units import UNITS

FORMATS = ("table", "csv", "json")
# CLI option -> library keyword, for the options passed only when given.
_PASS_THROUGH = {
    "weights": "weights",
    "neighbours": "n_neighbours",
    "caliper": "caliper",
    "exact": "exact",
    "metric": "metric",
    "se": "se",
    "n_boot": "n_boot",
    "seed": "seed",
    "cov_type": "cov_type",
    "estimand": "estimand",
    "base": "base",
    "permutations": "n_permutations",
    "within": "within",
    "level": "level",
    "reference": "reference",
    "controls": "controls",
    "min_coverage": "min_coverage",
    "min_population": "min_population",
    "states": "states",
    "pre": "pre",
    "post": "post",
}


def add_parsers(sub) -> None:
    c = sub.add_parser(
        "compare",
        help="compare sanctuary counties with others (one method, one year)",
        description="Print a comparison table: focal (sanctuary) minus comparison counties.",
    )
    c.add_argument("--definition", required=True, help="sanctuary definition id, e.g. ice2014")
    c.add_argument(
        "--unit",
        default="county",
        help="county (default: the county panel, 2010-2023) or city (the FBI's city table, "
        "crime 2010-2019, each definition in its city reading)",
    )
    c.add_argument(
        "--method",
        default="raw",
        help="raw, permutation, match, regression, ipw, strata, did or event (default raw)",
    )
    c.add_argument(
        "--year",
        type=int,
        default=2015,
        help="panel year (default 2015; did uses 2010/2012 before and 2015/2016 after; "
        "event uses every year)",
    )
    c.add_argument(
        "--outcome",
        action="append",
        dest="outcomes",
        metavar="OUTCOME",
        help="outcome column; repeat for several (default: every outcome of the year)",
    )
    c.add_argument(
        "--comparison",
        default="all",
        help="all (every other county, default), cooperating (the nearest 287(g) "
        "list) or a g287_* definition",
    )
    c.add_argument(
        "--covariates",
        help="covariate set (cap, demographic, political) or a "
        "comma-separated list of covariates (default cap; event: none)",
    )
    c.add_argument(
        "--weights",
        help="raw: none, population or both; regression/permutation: none or population",
    )
    c.add_argument("--neighbours", type=int, help="match: matches per county (default 1)")
    c.add_argument(
        "--without-replacement",
        action="store_true",
        help="match: each comparison county used at most once",
    )
    c.add_argument("--caliper", type=float, help="match: largest distance allowed")
    c.add_argument(
        "--exact",
        action="append",
        metavar="COLUMN",
        help="match: match exactly on this column (e.g. nchs_urban_rural_2013)",
    )
    c.add_argument("--metric", help="match: standardized (default) or mahalanobis")
    c.add_argument("--se", help="match: abadie-imbens (default) or bootstrap")
    c.add_argument("--n-boot", type=int, help="match: bootstrap draws (default 1000)")
    c.add_argument("--seed", type=int, help="random seed for bootstrap and permutations")
    c.add_argument("--cov-type", help="regression: HC0, HC1 (default), HC2, HC3 or nonrobust")
    c.add_argument("--estimand", help="ipw: att (default) or ate")
    c.add_argument("--base", help="strata: method run within each NCHS class (default match)")
    c.add_argument("--permutations", type=int, help="permutation: draws (default 2000)")
    c.add_argument(
        "--within",
        help="permutation: nchs to permute within NCHS classes; event: nchs for year "
        "effects within NCHS classes",
    )
    c.add_argument(
        "--controls",
        help="event: never (never-listed counties, Sun-Abraham; default) or not_yet "
        "(also not-yet-listed county-years, Gardner two-stage)",
    )
    c.add_argument(
        "--min-coverage",
        type=float,
        metavar="N",
        help="crime outcomes: keep county-years whose crime data cover at least N %% of "
        "residents (2015: Urban's >= 80 %% flag)",
    )
    c.add_argument(
        "--min-population",
        type=float,
        metavar="N",
        help="leave out units of fewer than N residents (default for cities "
        f"{UNITS['city'].default_min_population:,.0f}; 0 keeps all)",
    )
    c.add_argument(
        "--state",
        action="append",
        dest="states",
        metavar="ST",
        help="keep the focal units of this state only (postal code; repeat for several); the "
        "definition's units elsewhere are left out",
    )
    c.add_argument(
        "--window",
        metavar="FIRST-LAST",
        help="event: the calendar years studied (default 2010-2019; 2020-2021 are the "
        "pandemic years)",
    )
    c.add_argument(
        "--pre",
        action="append",
        type=int,
        metavar="YEAR",
        help="did, border: a year before the policies (repeat for several; did default 2010, 2012)",
    )
    c.add_argument(
        "--post",
        action="append",
        type=int,
        metavar="YEAR",
        help="did, border: a year after (repeat; did default 2015, 2016); border with "
        "--pre/--post compares changes within pairs instead of one year",
    )
    c.add_argument("--reference", type=int, help="did: reference year (default 2012)")
    c.add_argument("--level", type=float, help="confidence level (default 0.95)")
    c.add_argument(
        "--details",
        action="store_true",
        help="print the method's second table instead: balance (match, strata) or "
        "year-by-year gaps (did)",
    )
    c.add_argument("--format", default="table", help="table (default), csv or json")
    c.set_defaults(run=run)


def _options(args) -> dict:
    options = {}
    for attr, keyword in _PASS_THROUGH.items():
        value = getattr(args, attr)
        if value is not None:
            options[keyword] = tuple(value) if attr in ("exact", "states", "pre", "post") else value
    if args.without_replacement:
        options["replacement"] = False
    if options.get("within") == "none":
        options["within"] = None
    if args.window:
        options["years"] = _window(args.window)
    return options


def _window(text: str) -> tuple[int, ...]:
    from ..core.errors import AnalysisError

    first, _, last = text.partition("-")
    if not (first.isdigit() and last.isdigit() and int(first) < int(last)):
        raise AnalysisError(f"--window must be FIRST-LAST, e.g. 2010-2023; not {text!r}")
    return tuple(range(int(first), int(last) + 1))


def run(args) -> None:
    from ..compare.api import compare
    from ..compare.methods import check_method
    from ..core.errors import UnknownChoice

    if args.format not in FORMATS:
        raise UnknownChoice("format", args.format, FORMATS)
    check_method(args.method)
    covariates = args.covariates
    if covariates and "," in covariates:
        covariates = [c.strip() for c in covariates.split(",") if c.strip()]
    result = compare(
        args.definition,
        args.method,
        None
        if args.method in ("did", "event") or (args.method == "border" and args.post)
        else args.year,
        args.outcomes,
        comparison=args.comparison,
        covariates=covariates,
        details=args.details,
        unit=args.unit,
        **_options(args),
    )
    table = result[1] if args.details else result
    sys.stdout.write(render(table, args.format, details=args.details))


def render(table, fmt: str, details: bool = False) -> str:
    if fmt == "csv":
        return table.to_csv(index=False)
    if fmt == "json":
        return table.to_json(orient="records", indent=1, double_precision=15) + "\n"
    return _human(table) if not details else table.to_string(index=False, float_format=_fmt) + "\n"


def _fmt(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 1 or magnitude == 0:
        return f"{value:.2f}"
    return f"{value:.3g}"


def _human(table) -> str:
    """Key columns as a text table, then the settings the rows share and any notes."""
    if table.empty:
        return "no rows\n"
    key = [
        "outcome",
        "stratum_label",
        "term",
        "relative_year",
        "weights",
        "estimand",
        "estimate",
        "ci_low",
        "ci_high",
        "p_value",
        "n_focal",
        "n_comparison",
        "n_pairs",
        "n_sanctuary",
        "n_control",
    ]
    if "relative_year" in table.columns:  # an event study counts per relative year
        key = [k for k in key if k not in ("n_focal", "n_comparison")]
    shown = table[[c for c in key if c in table.columns]].copy()
    if shown["weights"].nunique() == 1:
        shown = shown.drop(columns="weights")
    if shown["estimand"].nunique() == 1:
        shown = shown.drop(columns="estimand")
    for col in ("estimate", "ci_low", "ci_high"):
        shown[col] = shown[col].map(_fmt)
    if "relative_year" in shown.columns:  # the average after adoption has none
        shown["relative_year"] = (
            shown["relative_year"].astype(object).where(shown["relative_year"].notna(), "")
        )
    shown["p_value"] = table["p_value"].map(
        lambda p: "" if math.isnan(p) else ("<0.001" if p < 0.001 else f"{p:.3f}")
    )
    first = table.iloc[0]
    lines = [shown.to_string(index=False), ""]
    year = "" if first["year"] is None or str(first["year"]) == "<NA>" else f", {first['year']}"
    units = "" if first.get("unit", "county") == "county" else " cities"
    lines.append(
        f"{first['method']}: {first['focal_group']}{units} ({first['definition']}) minus "
        f"{first['comparison']}{year}"
    )
    for col, label in (
        ("estimand", "estimand"),
        ("covariates", "covariates"),
        ("se_method", "errors"),
    ):
        values = [v for v in table[col].dropna().unique() if v != ""]
        if len(values) == 1:
            lines.append(f"{label}: {values[0]}")
    if "pretrend_p_value" in table.columns:
        for outcome, p in table.groupby("outcome", sort=False)["pretrend_p_value"].first().items():
            if not math.isnan(p):
                shown_p = "<0.001" if p < 0.001 else f"{p:.3f}"
                lines.append(
                    f"pre-trends ({outcome}): joint test of the years before, p = {shown_p}"
                )
    seen = set()
    for _, row in table.iterrows():
        where = row["outcome"] + (f", {row['stratum_label']}" if "stratum_label" in row else "")
        if row["note"] and (where, row["note"]) not in seen:
            seen.add((where, row["note"]))
            lines.append(f"note ({where}): {row['note']}")
    return "\n".join(lines) + "\n"
