"""A report's parameters: read from the notebook's `parameters` cell, checked
against each parameter's valid values before a kernel starts."""

from __future__ import annotations

import ast
from pathlib import Path

from ..compare.choices import WEIGHTS
from ..compare.event import EVENT_CONTROLS
from ..compare.methods import METHODS
from ..core import paths
from ..core.errors import AnalysisError, UnknownChoice
from ..publish.parameters import check_values
from .config import NAME_PARAMETER, ReportSpec

# The engine's own choices, checked before a kernel starts (a notebook leaves them to
# the engine, which checks them when it runs).
ENGINE_CHOICES = {
    "method": lambda: list(METHODS),
    "methods": lambda: list(METHODS),
    "weights": lambda: list(WEIGHTS),
    "controls": lambda: list(EVENT_CONTROLS),
}


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
    check_values(given, defaults, where=f"report {spec.name!r}", more=ENGINE_CHOICES)
    return {**given, NAME_PARAMETER: spec.name}
