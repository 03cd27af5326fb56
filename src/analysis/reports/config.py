"""The report set: reports/reports.yml, read into one ReportSpec per report.

Each entry names a notebook in notebooks/, a title, the values for the
notebook's `parameters` cell, and a name; with `matrix`, one report per
combination of values, the name and title being patterns filled from them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..errors import AnalysisError, UnknownChoice
from . import layout

KERNEL = "sanctuary-counties"
NAME_PARAMETER = "report_name"  # set by the runner; empty in JupyterLab


def config_path() -> Path:
    return paths.REPO_DIR / "reports" / "reports.yml"


def template_dir() -> Path:
    return paths.PACKAGE_DIR / "templates"


@dataclass(frozen=True)
class ReportSpec:
    name: str
    notebook: Path
    title: str
    parameters: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)  # build-only parameters, not shown to readers

    @property
    def html(self) -> Path:
        return layout.html_path(self.name)

    @property
    def executed(self) -> Path:
        return layout.executed_path(self.name)


def load_config(path: Path | None = None) -> list[ReportSpec]:
    import yaml

    path = path or config_path()
    doc = yaml.safe_load(path.read_text()) or {}
    specs: list[ReportSpec] = []
    for i, entry in enumerate(doc.get("reports", []), start=1):
        keys_allowed = ["name", "notebook", "title", "parameters", "settings", "matrix"]
        unknown = set(entry) - set(keys_allowed)
        if unknown:
            raise UnknownChoice(
                f"key in entry {i} of {paths.relative(path)}",
                sorted(unknown)[0],
                keys_allowed,
            )
        notebook = path.parent.parent / "notebooks" / entry["notebook"]
        if not notebook.exists():
            raise AnalysisError(
                f"{paths.relative(path)}, entry {i}: notebook "
                f"{entry['notebook']!r} not found in notebooks/"
            )
        matrix = entry.get("matrix", {})
        keys = list(matrix)
        for combo in itertools.product(*(matrix[k] for k in keys)) if keys else [()]:
            params = {**entry.get("parameters", {}), **dict(zip(keys, combo))}
            specs.append(
                ReportSpec(
                    entry["name"].format(**params),
                    notebook,
                    entry.get("title", "").format(**params),
                    params,
                    dict(entry.get("settings", {})),
                )
            )
    names = [s.name for s in specs]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise AnalysisError(f"{paths.relative(path)}: report names used twice: {dupes}")
    return specs


def find(name: str, config: Path | None = None) -> ReportSpec:
    specs = load_config(config)
    for spec in specs:
        if spec.name == name:
            return spec
    raise UnknownChoice("report", name, [s.name for s in specs])
