"""Sanctuary counties: the library behind the notebooks and reports.

    from analysis import load_panel, load_counties
    panel = load_panel(years=[2015])

Names are imported on first use, so `import analysis` stays fast.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "load_panel": "panel",
    "load_build_log": "panel",
    "build_panel": "panel_build",
    "PANEL_COLUMNS": ("panel", "COLUMNS"),
    "load_counties": "geometry",
    "load_states": "geometry",
    "load_definition": "jurisdictions",
    "list_definitions": "jurisdictions",
    "definition_overlap": ("jurisdictions", "overlap"),
    "load_resolution": "jurisdictions",
    "definition_summary": "jurisdictions",
    "specification_curve": "compare",
    "matched_sets": "compare",
    "AnalysisError": "errors",
    "UnknownChoice": "errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    target = _EXPORTS.get(name)
    if target is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    module, attr = target if isinstance(target, tuple) else (target, name)
    return getattr(importlib.import_module(f".{module}", __name__), attr)
