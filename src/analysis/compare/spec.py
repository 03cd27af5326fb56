"""How a method is written down, once: a typed options dataclass beside its estimator,
and a `MethodSpec` naming the estimator, the design it runs on and those options.

    @dataclass(frozen=True)
    class MatchOptions:
        n_neighbours: int = option(1, "matches per focal unit", flag="--neighbours")
        ...

    MATCH = MethodSpec("match", "nearest-neighbour matching on covariates, ATT",
                       MatchOptions, match_rows, year_design, covariates=True)

The method table (`methods.METHOD_TABLE`), the library's functions (`api.match`, ...)
and the command line's flags (`python -m analysis compare --neighbours 3`) are all made
from the specs, so a new option is one edit: a field of the options dataclass.

An option's field carries its help text and, where it has one, its closed set of
values (`choices`); its type comes from its annotation. `MethodSpec.parse` turns the
keyword options of a call into the dataclass, or stops with an error naming the valid
options or values.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..core.errors import AnalysisError, UnknownChoice
from ..panels.units import CROSS_SECTION


def option(
    default,
    help: str,
    *,
    choices: Iterable | None = None,
    flag: str | None = None,
    metavar: str | None = None,
    command_line: bool = True,
    design: bool = False,
):
    """A field of an options dataclass: its default, its help (what the option does, in
    a phrase), its valid values (`choices`), its command-line flag when not the field's
    name (`--n-boot` for n_boot), and whether it lays out the design (years, adoption)
    rather than being passed to the estimator's rows."""
    metadata = {
        "help": help,
        "choices": tuple(choices) if choices is not None else None,
        "flag": flag,
        "metavar": metavar,
        "command_line": command_line,
        "design": design,
    }
    return field(default=default, metadata=metadata)


def level_option():
    return option(0.95, "confidence level of the intervals", metavar="LEVEL")


@dataclass(frozen=True)
class Option:
    """One option of a method, as the command line and the documentation see it."""

    name: str
    type: object
    default: object
    help: str
    choices: tuple | None
    flag: str
    metavar: str | None
    command_line: bool
    design: bool


@functools.cache  # a class's fields do not change; every call of a method reads them
def options_of(cls: type) -> tuple[Option, ...]:
    hints = typing.get_type_hints(cls)
    found = []
    for f in dataclasses.fields(cls):
        meta = f.metadata
        found.append(
            Option(
                name=f.name,
                type=hints[f.name],
                default=f.default,
                help=meta.get("help", ""),
                choices=meta.get("choices"),
                flag=meta.get("flag") or "--" + f.name.replace("_", "-"),
                metavar=meta.get("metavar"),
                command_line=meta.get("command_line", True),
                design=meta.get("design", False),
            )
        )
    return tuple(found)


def _coerce(name: str, value, kind):
    """`value` as an option of type `kind`, or an AnalysisError saying what it must be."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        members = typing.get_args(kind)
        if value is None and type(None) in members:
            return None
        errors = []
        for member in members:
            if member is type(None):
                continue
            try:
                return _coerce(name, value, member)
            except AnalysisError as exc:
                errors.append(str(exc))
        raise AnalysisError(errors[0])
    if origin is tuple:
        if isinstance(value, str) or not isinstance(value, Iterable):
            raise AnalysisError(f"option {name!r} takes a list, not {value!r}")
        (member, *_) = typing.get_args(kind) or (object,)
        return tuple(_coerce(name, v, member) for v in value)
    if kind is object or kind is typing.Any:
        return value
    if kind is bool:
        if not isinstance(value, bool):
            raise AnalysisError(f"option {name!r} takes True or False, not {value!r}")
        return value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise AnalysisError(f"option {name!r} takes a whole number, not {value!r}")
        return value
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise AnalysisError(f"option {name!r} takes a number, not {value!r}")
        return float(value)
    if kind is str:
        if not isinstance(value, str):
            raise AnalysisError(f"option {name!r} takes a word, not {value!r}")
        return value
    return value  # a library object (a Series of adoption years): checked where used


SPECS: dict = {}  # every spec by name, as each estimator's module defines it


def spec_named(name: str) -> MethodSpec:
    return SPECS[name]


@dataclass(frozen=True)
class MethodSpec:
    """A method: its name, what it estimates, its options dataclass, the function that
    computes its rows and the one that lays out its design."""

    name: str
    description: str
    options: type
    rows: Callable  # rows(design, outcome, **options, [covariates, covariate_label, details])
    design: Callable  # design(panel, groups, year, options) -> the design its rows take
    covariates: bool = False  # takes a covariate set
    default_covariates: str | None = None  # when none is given (None: the unit's default)
    details: str = ""  # what details=True returns beside the table
    details_name: str = "details"  # the keyword of the library function that asks for it
    over_years: Callable[[object], bool] = lambda options: False  # spans years, not one
    gaps_allowed: bool = False  # takes the years an outcome has (an event study)
    design_years: Callable[[object], tuple[int, ...]] = lambda options: ()  # years it spans
    requires: str = CROSS_SECTION  # what the unit must support (panels.units)
    api_name: str = ""  # the library function's name, when not the method's
    positional: tuple[str, ...] = ()  # options the library function takes by position
    takes_base: bool = False  # runs a base method, whose options it also takes

    def __post_init__(self):
        SPECS[self.name] = self

    def __reduce__(self):
        # By name: a process of the specification curve finds the same spec in its own table.
        return spec_named, (self.name,)

    @property
    def function_name(self) -> str:
        return self.api_name or self.name

    def option_list(self) -> tuple[Option, ...]:
        return options_of(self.options)

    def parse(self, given: dict, extra: Iterable[str] = ()) -> object:
        """The options dataclass for a call's keyword options: an unknown option, or a
        value of the wrong type or outside its set, stops naming the valid ones. `extra`:
        names taken through without a check (a base method's, checked by the base)."""
        known = {o.name: o for o in self.option_list()}
        extra = set(extra)
        values = {}
        for name, value in given.items():
            if name in extra:
                continue
            if name not in known:
                raise UnknownChoice(f"option for method {self.name!r}", name, [*known, *extra])
            values[name] = self.check(known[name], value)
        return self.options(**values)

    @staticmethod
    def check(found: Option, value):
        value = _coerce(found.name, value, found.type)
        if found.choices is not None and value not in found.choices:
            raise UnknownChoice(found.name.replace("_", " "), value, found.choices)
        return value

    def row_options(self, options) -> dict:
        """The options the rows function takes (not those laying out the design)."""
        design = {o.name for o in self.option_list() if o.design}
        return {
            f.name: getattr(options, f.name)
            for f in dataclasses.fields(options)
            if f.name not in design
        }


def check_level(level: float) -> float:
    if not 0 < level < 1:
        raise AnalysisError(f"level must be a confidence level between 0 and 1, not {level!r}")
    return level
