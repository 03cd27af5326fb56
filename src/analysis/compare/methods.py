"""Every comparison method in one table, made from the specs written beside each
estimator (analysis.compare.spec): its name, what it estimates, its options dataclass,
its rows function and its design.

The engine, the specification curve, the library's functions (analysis.compare.api),
the report parameter checks and the command line all read this table; a new method
is a spec in its module and a line here.
"""

from __future__ import annotations

from ..core.errors import UnknownChoice
from .adjust import IPW, REGRESSION
from .border import BORDER
from .descriptive import PERMUTATION, RAW
from .did import DID
from .event import EVENT
from .matching import MATCH
from .spec import MethodSpec
from .strata import STRATA
from .synth import SDID, SYNTH

METHOD_TABLE: dict[str, MethodSpec] = {
    spec.name: spec
    for spec in [RAW, PERMUTATION, MATCH, REGRESSION, IPW, STRATA, DID, BORDER, EVENT, SYNTH, SDID]
}

METHODS: dict[str, str] = {name: m.description for name, m in METHOD_TABLE.items()}
USES_COVARIATES = frozenset(name for name, m in METHOD_TABLE.items() if m.covariates)


def method(name: str) -> MethodSpec:
    if name not in METHOD_TABLE:
        raise UnknownChoice("method", name, METHOD_TABLE)
    return METHOD_TABLE[name]


def check_method(name: str) -> str:
    return method(name).name
