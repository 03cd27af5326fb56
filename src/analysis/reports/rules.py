"""The Make rules for the reports (.make/reports.mk).

Each report depends on exactly its notebook, its parameters (kept in
.make/reports/NAME.json, rewritten only when they change), the library files the
notebook runs, this runner, the page templates and the processed data. The site's
own pages (the index, the explorer and the place finder) depend on the library files
their builders run.

What a notebook runs is found by following imports: from the notebook's own, through
the package interface (`analysis/__init__.pyi`, the names `from analysis import ...`
gives) and every package's `__init__`, to every module they import. The library
imports its own modules by name at the top of each file (tests/test_structure.py),
so this is everything a page's code can reach.
"""

from __future__ import annotations

import ast
import functools
import json
from pathlib import Path

from ..core import paths
from ..core.atomic import write_text
from ..core.errors import AnalysisError
from ..publish.layout import parameter_stamps_dir
from .config import ReportSpec, load_config, template_dir

RUNNER = Path(__file__).resolve().parent  # every report depends on all of it
INTERFACE = ("__init__.py", "__init__.pyi")  # the package's lazy interface and its map
# The site's own pages: what builds each, and what else it reads.
SITE_PAGES = {
    "index": ("analysis.reports.index", "$(REPORT_HTML) reports/reports.yml"),
    "explore": ("analysis.reports.explore", "reports/html/robustness.html"),
    "places": ("analysis.reports.finder", "$(DATA) data/definitions.toml"),
}


def library_modules(notebook: Path) -> list[Path]:
    """The library files a notebook runs: its imports, followed through the package's."""
    # The notebook's JSON read directly: nbformat's schema validation costs a second
    # here, and `make -n` regenerates these rules whenever any library file changes.
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    lines = [line for line in code.splitlines() if not line.lstrip().startswith(("%", "!"))]
    exports = _interface()
    start: set[Path] = {paths.PACKAGE_DIR / name for name in INTERFACE}
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "analysis":
            parts = tuple(node.module.split("."))
            if len(parts) == 1:  # from analysis import name: the interface's name
                for alias in node.names:
                    start |= set(_files(exports.get(alias.name, ("analysis", alias.name))))
            else:
                start |= set(_files(parts, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("analysis."):
                    start |= set(_files(tuple(alias.name.split("."))))
    return sorted(_closure(start))


def module_closure(module: str) -> list[Path]:
    """The library files importing `module` (dotted) runs."""
    return sorted(_closure(set(_files(tuple(module.split("."))))))


@functools.cache
def _interface() -> dict[str, tuple[str, ...]]:
    """Each name of the package interface -> the module that defines it (a subpackage
    for `from . import name`), from analysis/__init__.pyi."""
    exports = {}
    for node in ast.parse((paths.PACKAGE_DIR / "__init__.pyi").read_text()).body:
        if isinstance(node, ast.ImportFrom):
            base = ("analysis", *node.module.split(".")) if node.module else ("analysis",)
            for alias in node.names:
                exports[alias.asname or alias.name] = base if node.module else (*base, alias.name)
    return exports


def _files(module: tuple[str, ...], names: list[str] | None = None) -> list[Path]:
    """Files executed by importing `module` (a tuple like ("analysis", "compare",
    "matching")) and, from it, `names`: the module, the __init__ of every package
    on the way, and any of `names` that is itself a submodule."""
    found = []
    folder = paths.PACKAGE_DIR.parent
    for i, part in enumerate(module):
        folder = folder / part
        if (folder / "__init__.py").exists():
            found.append(folder / "__init__.py")
        elif folder.with_suffix(".py").exists() and i == len(module) - 1:
            found.append(folder.with_suffix(".py"))
        else:
            return found
    for name in names or []:
        if (folder / f"{name}.py").exists():
            found.append(folder / f"{name}.py")
        elif (folder / name / "__init__.py").exists():
            found.append(folder / name / "__init__.py")
    return found


def _closure(start: set[Path]) -> set[Path]:
    """`start` and every library file they import."""
    seen: set[Path] = set()
    todo = list(start)
    while todo:
        path = todo.pop().resolve()
        if path in seen:
            continue
        seen.add(path)
        if path.suffix == ".py":
            todo += _imported_files(path)
    return seen


@functools.cache
def _imported_files(path: Path) -> tuple[Path, ...]:
    """The analysis files `path` imports, anywhere in it (parsed once per run: every
    notebook's closure passes through the same modules)."""
    package = path.relative_to(paths.PACKAGE_DIR.parent).parts[:-1]  # ("analysis", "compare")
    found: list[Path] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = package[: len(package) - node.level + 1]
            module = base + tuple((node.module or "").split(".")) if node.module else base
        elif (node.module or "").startswith("analysis"):
            module = tuple(node.module.split("."))
        else:
            continue
        found += _files(module, [a.name for a in node.names])
    return tuple(found)


def write_parameter_stamps(specs: list[ReportSpec]) -> dict[str, Path]:
    """One file per report holding its parameters, rewritten only when they change,
    so Make rebuilds just the reports whose parameters changed."""
    folder = parameter_stamps_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamps = {}
    for spec in specs:
        stamp = folder / f"{spec.name}.json"
        text = (
            json.dumps(
                {
                    "notebook": spec.notebook.name,
                    "title": spec.title,
                    "parameters": spec.parameters,
                    "settings": spec.settings,
                },
                sort_keys=True,
                indent=1,
            )
            + "\n"
        )
        if not stamp.exists() or stamp.read_text() != text:
            write_text(stamp, text)
        stamps[spec.name] = stamp
    return stamps


def make_rules() -> str:
    specs = load_config()
    stamps = write_parameter_stamps(specs)

    def rel(path) -> str:
        # Outputs and stamps live under the project root (ANALYSIS_ROOT), code in
        # the repository; Make runs from the root, which has the code at the same places.
        for base in (paths.root(), paths.REPO_DIR):
            if Path(path).is_relative_to(base):
                return str(Path(path).relative_to(base))
        raise AnalysisError(f"{path} is outside the project")

    template = " ".join(rel(p) for p in sorted(template_dir().rglob("*")) if p.is_file())
    runner = " ".join(rel(p) for p in sorted(RUNNER.glob("*.py")))
    lines = [
        "# Generated by `python -m analysis report-rules` from reports/reports.yml.",
        f"REPORT_NAMES := {' '.join(s.name for s in specs)}",
        f"REPORT_HTML := {' '.join(rel(s.html) for s in specs)}",
        "",
    ]
    modules_by_notebook = {nb: library_modules(nb) for nb in {s.notebook for s in specs}}
    for spec in specs:
        modules = " ".join(rel(m) for m in modules_by_notebook[spec.notebook])
        lines += [
            f"{rel(spec.html)}: {rel(spec.notebook)} {rel(stamps[spec.name])} {modules} "
            f"{runner} {template} $(DATA) | $(ENV_STAMP)",
            f"\t$(RUN) report {spec.name}",
            "",
        ]
    for page, (builder, reads) in SITE_PAGES.items():
        code = " ".join(rel(m) for m in module_closure(builder))
        lines += [
            f"reports/{page}.html: {reads} {code} {template} | $(ENV_STAMP)",
            f"\t$(RUN) report-{page}",
            "",
        ]
    return "\n".join(lines)


def write_make_rules(target: Path) -> None:
    write_text(target, make_rules())
