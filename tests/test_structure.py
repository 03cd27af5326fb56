"""The library's shape: rooms (its packages) in layers, each importing only the rooms
below it, and modules that import one another in one direction only.

Every `import` counts, including one inside a function: it is still a dependency. The
library imports its own modules at the top of each file, where a reader, the report
rules (analysis.reports.rules) and this test see them; the command line alone imports
a command's code when that command runs, so that `make`'s calls stay fast and each
data build depends on its own code only. docs/structure.md draws the rooms.
"""

from __future__ import annotations

import ast
import subprocess

import pytest
from structure import (
    LAYERS,
    PACKAGE,
    cycles,
    drawing,
    import_graph,
    imports,
    module_name,
    room_graph,
    upward,
)

from analysis.core import paths


def test_the_checker_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_modules():
    assert cycles(import_graph()) == []


def test_no_loop_between_rooms():
    assert cycles(room_graph()) == []


def test_every_room_has_its_layer_and_no_arrow_runs_upward():
    rooms = room_graph()
    assert set(rooms) <= set(LAYERS), f"rooms without a layer: {set(rooms) - set(LAYERS)}"
    assert upward(rooms) == []


def test_the_drawing_is_current():
    drawn = (paths.REPO_DIR / "docs" / "structure.md").read_text()
    assert drawn == drawing(), "run: python tests/structure.py > docs/structure.md"


def _own(node: ast.stmt) -> bool:
    if isinstance(node, ast.ImportFrom):
        return bool(node.level) or (node.module or "").split(".")[0] == "analysis"
    return any(a.name.split(".")[0] == "analysis" for a in node.names)


def test_the_library_imports_its_own_modules_at_the_top():
    inside = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.parent.name == "cli":
            continue
        top = {node.lineno for node in ast.parse(path.read_text()).body}
        for node, _ in imports(path, module_name(path)):
            if _own(node) and node.lineno not in top:
                inside.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert inside == []


def test_the_library_names_what_it_imports():
    """No module is imported by a computed name (importlib), which no reader or tool can
    follow."""
    found = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if "import_module(" in p.read_text()
    ]
    assert found == []


def test_loading_the_panel_imports_no_reader():
    graph = import_graph()
    reachable, todo = set(), ["analysis.panels.load"]
    while todo:
        module = todo.pop()
        if module not in reachable:
            reachable.add(module)
            todo += graph[module]
    assert not {m for m in reachable if m.startswith("analysis.readers")}


# The Makefile's list of the code each data build runs: the builder's imports, and the
# command line that calls it (its commands import their builders when they run).
BUILDS = {
    "PANEL_CODE": ["analysis.panels.county", "analysis.panels.availability"],
    "CITY_CODE": ["analysis.panels.city"],
    "STATE_CODE": ["analysis.panels.state"],
    "GEOMETRY_CODE": ["analysis.panels.geometry"],
    "DEFINITIONS_CODE": ["analysis.jurisdictions.build"],
}
COMMAND_LINE = ["__main__.py", "cli/__init__.py", "cli/data.py"]


@pytest.mark.parametrize("variable", BUILDS)
def test_each_data_build_depends_on_all_the_code_it_runs(variable):
    from analysis.reports.rules import module_closure

    listed = subprocess.run(
        ["make", "-s", "--no-print-directory", f"print-{variable}", "PRODUCTS_OK=", "UNTRUSTED="],
        cwd=paths.REPO_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    runs = {p for m in BUILDS[variable] for p in module_closure(m)}
    runs |= {PACKAGE / f for f in COMMAND_LINE}
    declared = {(paths.REPO_DIR / p).resolve() for p in listed}
    missing = sorted(str(p.relative_to(paths.REPO_DIR)) for p in runs - declared)
    assert not missing, f"{variable} in the Makefile lacks {missing}"
