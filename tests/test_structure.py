"""The library's shape: modules import one another in one direction only.

Every `import` counts, including the ones inside functions that keep start-up
fast: a lazy import is still a dependency, and a cycle of them is still two
modules that cannot be understood, changed or tested apart.
"""

from __future__ import annotations

import ast
from pathlib import Path

from analysis import paths

PACKAGE = paths.PACKAGE_DIR


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def resolve(name: str, modules: set[str]) -> str | None:
    """The module an imported name lives in: `name` itself, or its parent for
    `from package import function`."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def import_graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(files)
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in files.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text())):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    stem = f"{base}.{node.module}" if node.module else base
                else:
                    stem = node.module or ""
                targets = [f"{stem}.{a.name}" for a in node.names]
            for target in targets:
                found = resolve(target, modules)
                # A package's __init__ importing its own submodules lazily is its job.
                if found and found != module and not found.startswith(module + "."):
                    graph[module].add(found)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_checker_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_in_the_library():
    assert cycles(import_graph()) == []


def test_loading_the_panel_imports_no_reader():
    graph = import_graph()
    reachable, todo = set(), ["analysis.panel"]
    while todo:
        module = todo.pop()
        if module not in reachable:
            reachable.add(module)
            todo += graph[module]
    # load_panel lives beside the build today only if the build's readers are
    # not among what it pulls in.
    assert not {m for m in reachable if m.startswith("analysis.readers")}
