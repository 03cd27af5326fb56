"""The valid values of the notebooks' parameters, and the check a notebook (`check`)
and the report runner make before anything runs: a value outside its parameter's set
stops with an error naming the valid ones."""

from __future__ import annotations

import tomllib

from .. import compare
from ..core import paths
from ..core.errors import AnalysisError, UnknownChoice
from ..geo.regions import STATE_FIPS


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

    def compare_choices(attr):
        def valid():
            value = getattr(compare, attr)
            return list(value() if callable(value) else value)

        return valid

    return {
        "definition": definitions,
        "definitions": definitions,
        "comparison": comparisons,
        "year": compare_choices("panel_years"),
        "years": compare_choices("panel_years"),
        "outcome": compare_choices("OUTCOMES"),
        "outcomes": compare_choices("OUTCOMES"),
        "method": compare_choices("METHODS"),
        "methods": compare_choices("METHODS"),
        "weights": compare_choices("WEIGHTS"),
        "covariates": lambda: ["none", *compare_choices("COVARIATE_SETS")()],
        "controls": compare_choices("EVENT_CONTROLS"),
        "within": lambda: [None, "nchs"],
        "unit": lambda: ["county", "city"],
        "states": _state_codes,
    }


def _state_codes() -> list[str]:
    return sorted(STATE_FIPS)


def check_values(values: dict, defaults: dict, where: str) -> None:
    """Stop on a value of the wrong type or outside its parameter's valid set."""
    valid = _valid_values()
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
