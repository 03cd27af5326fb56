"""The valid values of the notebooks' parameters, and the check a notebook (`check`)
and the report runner make before anything runs: a value outside its parameter's set
stops with an error naming the valid ones. The sets here are the units' and the
lists'; the engine's own (methods, weights, controls) are added by the runner
(analysis.reports.parameters), so that a page that compares nothing does not depend
on the engine."""

from __future__ import annotations

import tomllib

from ..core import paths
from ..core.errors import AnalysisError, UnknownChoice
from ..geo.regions import STATE_FIPS
from ..panels.units import COVARIATE_SETS, OUTCOMES, UNITS


def _valid_values() -> dict[str, object]:
    """For each notebook parameter name with a closed set of values, a function
    returning that set. Lists (e.g. `outcomes`) are checked element by element."""

    def catalogue():
        # Read here, not through analysis.jurisdictions, which needs pandas: a check stays instant.
        with open(paths.definitions_file(), "rb") as fh:
            return tomllib.load(fh).get("definition", [])

    def definitions():
        return [d["id"] for d in catalogue()]

    def comparisons():
        # By status, as compare() decides, so a cooperating definition of a user's own list
        # is a comparison group too.
        cooperating = [d["id"] for d in catalogue() if d.get("status") == "cooperating"]
        return ["all", "cooperating", *cooperating]

    return {
        "definition": definitions,
        "definitions": definitions,
        "comparison": comparisons,
        "year": every_year,
        "years": every_year,
        "outcome": lambda: list(OUTCOMES),
        "outcomes": lambda: list(OUTCOMES),
        "covariates": lambda: ["none", *COVARIATE_SETS],
        "within": lambda: [None, "nchs"],
        "unit": lambda: list(UNITS),
        "states": _state_codes,
    }


def every_year() -> list[int]:
    return sorted({y for u in UNITS.values() for y in u.years})


def _state_codes() -> list[str]:
    return sorted(STATE_FIPS)


def check_values(values: dict, defaults: dict, where: str, more: dict | None = None) -> None:
    """Stop on a value of the wrong type or outside its parameter's valid set: the sets
    of the units and lists here, and `more` {name: function giving its set} (the
    engine's own choices, which the report runner adds; in a notebook the engine checks
    them itself when it runs)."""
    valid = {**_valid_values(), **(more or {})}
    for name, value in values.items():
        default = defaults.get(name)
        if (
            default is not None
            and not isinstance(value, type(default))
            and not (isinstance(default, float) and isinstance(value, int))
        ):
            raise AnalysisError(
                f"{where}: parameter {name!r} should be a "
                f"{type(default).__name__} like its default {default!r}, "
                f"not {value!r}"
            )
        if name in valid:
            allowed = valid[name]()
            for item in value if isinstance(value, list) else [value]:
                if item not in allowed:
                    raise UnknownChoice(f"value of parameter {name!r} ({where})", item, allowed)
