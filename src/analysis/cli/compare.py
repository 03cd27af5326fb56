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

from ..panels.units import DEFAULT_UNIT
from ..panels.units import unit as lookup_unit

FORMATS = ("table", "csv", "json")


def _window(text: str) -> tuple[int, ...]:
    from ..core.errors import AnalysisError

    first, _, last = text.partition("-")
    if not (first.isdigit() and last.isdigit() and int(first) < int(last)):
        raise AnalysisError(f"--window must be FIRST-LAST, e.g. 2010-2023; not {text!r}")
    return tuple(range(int(first), int(last) + 1))


# Options whose value on the command line is written another way than in the library.
PARSERS = {"--window": _window}


def _method_flags():
    """{flag: (options, [(method, help)])} over every method's options (analysis.compare
    specs), and the choices every method takes: each flag once, its help naming the
    methods that take it."""
    from ..compare.api import SCOPE
    from ..compare.methods import METHOD_TABLE
    from ..compare.spec import Option

    flags: dict[str, tuple] = {}
    for spec in METHOD_TABLE.values():
        for found in spec.option_list():
            if found.command_line:
                entry = flags.setdefault(found.flag, (found, []))
                entry[1].append((spec.name, found.help + _default(found.default)))
    scope_types = {"min_population": float | None, "states": tuple[str, ...] | None}
    for name, help in SCOPE.items():
        kind = scope_types.get(name, float | None)
        flag = "--state" if name == "states" else "--" + name.replace("_", "-")
        metavar = "ST" if name == "states" else "N"
        found = Option(name, kind, None, help, None, flag, metavar, True, False)
        flags[flag] = (found, [("", help)])
    return flags


def _default(value) -> str:
    """' (default 2010, 2012)' for a help text; nothing for an option off by default."""
    if value is None or value == () or isinstance(value, bool):
        return ""
    shown = ", ".join(map(str, value)) if isinstance(value, tuple) else str(value)
    return f" (default {shown})"


def add_parsers(sub, with_methods: bool = True) -> None:
    import typing

    from ..panels.units import UNITS

    c = sub.add_parser(
        "compare",
        help="compare sanctuary counties with others (one method, one year)",
        description="Print a comparison table: focal (sanctuary) minus comparison units. "
        "Each method's options are flags, as its options dataclass names them "
        "(analysis.compare): a flag the method does not take is an error.",
    )
    c.add_argument("--definition", required=True, help="sanctuary definition id, e.g. ice2014")
    c.add_argument(
        "--unit",
        default="county",
        help=f"one of {', '.join(UNITS)} (default county: the county panel, 2010-2023; city: "
        "the FBI's city table, crime 2010-2019, each definition in its city reading)",
    )
    if with_methods:
        from ..compare.methods import METHODS

        methods = "; ".join(f"{name}: {about}" for name, about in METHODS.items())
    else:
        methods = "see `python -m analysis compare --help`"
    c.add_argument("--method", default="raw", help=f"the method (default raw). {methods}")
    c.add_argument(
        "--year",
        type=int,
        default=2015,
        help="panel year (default 2015); the methods over several years (did, event, border "
        "with --pre/--post) take theirs from their options",
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
        help="all (every other unit, default), cooperating (the nearest 287(g) list) or a "
        "g287_* definition",
    )
    c.add_argument(
        "--covariates",
        help="covariate set (cap, demographic, political; city) or a comma-separated list "
        "of covariates (default: the unit's own set; event: none)",
    )
    for flag, (found, users) in sorted(_method_flags().items() if with_methods else []):
        by_help: dict[str, list[str]] = {}
        for method, help in users:
            by_help.setdefault(help, []).append(method)
        said = "; ".join(f"{', '.join(m)}: {h}" if any(m) else h for h, m in by_help.items())
        if found.choices is not None:
            said += f"; one of {', '.join('none' if c is None else str(c) for c in found.choices)}"
        kind = found.type
        args = typing.get_args(kind)
        if typing.get_origin(kind) in (typing.Union, __import__("types").UnionType):
            kind = next(a for a in args if a is not type(None))
            args = typing.get_args(kind)
        if flag in PARSERS:
            c.add_argument(flag, dest=found.name, type=PARSERS[flag], metavar=found.metavar,
                           help=said)  # fmt: skip
        elif kind is bool:
            c.add_argument(
                flag, dest=found.name, action="store_const", const=not found.default,
                default=None, help=said,
            )  # fmt: skip
        elif typing.get_origin(kind) is tuple:
            c.add_argument(
                flag, dest=found.name, action="append", type=args[0] if args else str,
                metavar=found.metavar, help=said + " (repeat for several)",
            )  # fmt: skip
        else:
            c.add_argument(flag, dest=found.name, type=kind, metavar=found.metavar, help=said)
    c.add_argument(
        "--details",
        action="store_true",
        help="print the method's second table instead: balance (match, strata), year-by-year "
        "gaps (did) or robust intervals (event)",
    )
    c.add_argument("--format", default="table", help="table (default), csv or json")
    c.set_defaults(run=run)


def _options(args) -> dict:
    """The method options and shared choices given on the command line."""
    options = {}
    for found, _ in _method_flags().values():
        value = getattr(args, found.name, None)
        if value is None:
            continue
        if isinstance(value, list):
            value = tuple(value)
        if value == "none" and found.choices is not None and None in found.choices:
            value = None
        options[found.name] = value
    return options


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
        args.year,
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
        "placebo_p",
        "pre_rmspe",
        "n_focal",
        "n_comparison",
        "n_pairs",
        "n_sanctuary",
        "n_control",
    ]
    if "relative_year" in table.columns:  # an event study counts per relative year
        key = [k for k in key if k not in ("n_focal", "n_comparison")]
    # The placebo columns, the interval, where a method gives them (a synthetic control has
    # no interval; an event study of a state law has a placebo p-value on one row).
    given = [c for c in key if c in table.columns]
    given = [c for c in given if c not in ("placebo_p", "pre_rmspe", "ci_low", "ci_high")
             or table[c].notna().any()]  # fmt: skip
    shown = table[given].copy()
    if shown["weights"].nunique() == 1:
        shown = shown.drop(columns="weights")
    if shown["estimand"].nunique() == 1:
        shown = shown.drop(columns="estimand")
    for col in ("estimate", "ci_low", "ci_high", "pre_rmspe"):
        if col in shown.columns:
            shown[col] = shown[col].map(_fmt)
    if "relative_year" in shown.columns:  # the average after adoption has none
        shown["relative_year"] = (
            shown["relative_year"].astype(object).where(shown["relative_year"].notna(), "")
        )
    for col in ("p_value", "placebo_p"):
        if col in shown.columns:
            shown[col] = table[col].map(
                lambda p: "" if p is None or p != p else ("<0.001" if p < 0.001 else f"{p:.3f}")
            )
    first = table.iloc[0]
    lines = [shown.to_string(index=False), ""]
    year = "" if first["year"] is None or str(first["year"]) == "<NA>" else f", {first['year']}"
    found = lookup_unit(first.get("unit", DEFAULT_UNIT.name))
    units = "" if found is DEFAULT_UNIT else f" {found.plural}"
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
    # One note per outcome (and stratum): the parts its rows' notes give, each once, in order.
    notes: dict[str, list[str]] = {}
    for _, row in table.iterrows():
        where = row["outcome"] + (f", {row['stratum_label']}" if "stratum_label" in row else "")
        parts = notes.setdefault(where, [])
        parts += [p for p in str(row["note"] or "").split("; ") if p and p not in parts]
    lines += [f"note ({where}): {'; '.join(parts)}" for where, parts in notes.items() if parts]
    return "\n".join(lines) + "\n"
