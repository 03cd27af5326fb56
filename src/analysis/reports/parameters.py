"""A report's parameters: read from the notebook's `parameters` cell, checked
against each parameter's valid values before a kernel starts."""

from __future__ import annotations

import ast
from pathlib import Path

from .. import paths
from ..errors import AnalysisError, UnknownChoice
from .config import NAME_PARAMETER, ReportSpec


def notebook_parameters(notebook: Path) -> dict[str, object]:
    """Names and default values in the notebook's cell tagged `parameters`."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise AnalysisError(
            f"{paths.relative(notebook)}: needs exactly one cell tagged "
            f"'parameters', found {len(cells)}"
        )
    defaults = {}
    for node in ast.parse(cells[0].source).body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            defaults[node.targets[0].id] = ast.literal_eval(node.value)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            defaults[node.target.id] = ast.literal_eval(node.value)
    return defaults


def _valid_values() -> dict[str, object]:
    """For each notebook parameter name with a closed set of values, a function
    returning that set. Lists (e.g. `outcomes`) are checked element by element."""

    def catalogue():
        import tomllib

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
            from .. import compare

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
    from ..regions import STATE_FIPS

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


def check_parameters(spec: ReportSpec) -> dict:
    """The parameters to run `spec` with, after checking names and values."""
    defaults = notebook_parameters(spec.notebook)
    given = {**spec.parameters, **spec.settings}
    for name in given:
        if name not in defaults or name == NAME_PARAMETER:
            raise UnknownChoice(
                f"parameter of notebooks/{spec.notebook.name} (report {spec.name!r})",
                name,
                [k for k in defaults if k != NAME_PARAMETER],
            )
    check_values(given, defaults, where=f"report {spec.name!r}")
    return {**given, NAME_PARAMETER: spec.name}
