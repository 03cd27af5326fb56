"""The library's import graph, by module and by room (a package, or a top-level
module), and the drawing of the rooms in docs/structure.md.

    python tests/structure.py > docs/structure.md

Every `import` counts, including one inside a function: it is still a dependency.
The rooms are ordered in layers, from the bottom; an arrow may only point down.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "analysis"

# The rooms, from the bottom layer up, each with what it is for.
LAYERS = {
    "core": "folders, errors, atomic writes, safe HTML",
    "sources": "the source catalogue, verified fetch, build logs, provenance",
    "geo": "county FIPS on 2015 boundaries, states and regions",
    "readers": "one parser per source file",
    "names": "names to codes: the Census gazetteer, city names",
    "panels": "the unit registry and the county and city panels",
    "jurisdictions": "the lists, resolved, and the definitions",
    "compare": "the engine: every method, for every unit",
    "publish": "words, figures, tables and citations for a page",
    "sections": "the sections of each kind of page",
    "reports": "the site: running notebooks, the index, explorer and finder",
    "cli": "python -m analysis",
    "__main__": "the entry point",
}


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


def imports(path: Path, module: str) -> list[tuple[ast.stmt, str]]:
    """(statement, imported name) for every import in the file, at any depth."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(node, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                stem = f"{base}.{node.module}" if node.module else base
            else:
                stem = node.module or ""
            found += [(node, f"{stem}.{a.name}") for a in node.names]
    return found


def import_graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(files)
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in files.items():
        for _, target in imports(path, module):
            found = resolve(target, modules)
            # A package's __init__ importing its own submodules is its job.
            if found and found != module and not found.startswith(module + "."):
                graph[module].add(found)
    return graph


def room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def room_graph(graph: dict[str, set[str]] | None = None) -> dict[str, set[str]]:
    """The graph of rooms: an arrow wherever a module of one imports a module of another."""
    graph = graph or import_graph()
    rooms: dict[str, set[str]] = {}
    for module, targets in graph.items():
        here = room(module)
        if here == "analysis":  # the package's own lazy interface (__init__.pyi)
            continue
        rooms.setdefault(here, set())
        rooms[here] |= {room(t) for t in targets if room(t) != here}
    return rooms


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
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


def upward(rooms: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Arrows from a room to one above it in LAYERS (or to a room LAYERS does not place)."""
    order = {name: i for i, name in enumerate(LAYERS)}
    return sorted(
        (a, b)
        for a, targets in rooms.items()
        for b in targets
        if order.get(b, len(order)) > order.get(a, len(order))
    )


def drawing() -> str:
    rooms = room_graph()
    order = list(LAYERS)
    arrows = sum(len(t) for t in rooms.values())
    lines = [
        "# The library's structure",
        "",
        "Generated by `python tests/structure.py > docs/structure.md`; "
        "`tests/test_structure.py` checks it is current.",
        "",
        f"Rooms: {len(rooms)}. Arrows: {arrows}. Loops: {len(cycles(rooms))}. "
        f"Arrows running upward: {len(upward(rooms))}.",
        "",
        "Each room of `src/analysis`, from the top layer down, with the rooms it imports "
        "(every import counts, inside functions too). An arrow only points down.",
        "",
        "```",
    ]
    width = max(len(r) for r in rooms)
    for name in reversed(order):
        if name not in rooms:
            continue
        below = " ".join(sorted(rooms[name], key=lambda r: -order.index(r)))
        lines.append(f"{name:<{width}}  -> {below}".rstrip())
    lines += ["```", "", "| room | what it is for |", "|---|---|"]
    lines += [f"| `{name}` | {LAYERS[name]} |" for name in reversed(order) if name in rooms]
    lines += ["", "```mermaid", "flowchart TD"]
    for name in reversed(order):
        for target in sorted(rooms.get(name, ()), key=lambda r: -order.index(r)):
            lines.append(f"    {name.strip('_')} --> {target.strip('_')}")
    lines += ["```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(drawing())
