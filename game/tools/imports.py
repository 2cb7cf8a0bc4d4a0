"""The import graph of the ``game`` package, read from the source (every import statement,
those inside functions included), and the layer contract it must keep.

    python -m game.tools.imports            # the package graph, then any layer breach or cycle

Layers, lowest first: a module may import its own package and the layers below, never one above
(docs/architecture.md says why).
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

GAME_DIR = Path(__file__).resolve().parents[1]

LAYERS = (
    ("engine",),                  # hex grid, map, units, calendar, orders, state; no game rules
    ("scenario",),                # YAML loading, schema, typed configuration, building the state
    ("rules",),                   # the rules of the war, as rule modules on the turn
    ("events",),                  # event cards: a rule module that reads decks
    ("ai",),                      # planners that only send orders
    ("sim",),                     # sessions, saves, headless runs
    ("batch",),                   # many seeded headless runs, their Parquet file and report
    ("render",),                  # pygame drawing
    ("ui",),                      # the window
    ("cli", "tools"),             # entry points
)
ROOT_MODULES = ("game",)          # the package itself: imports nothing


def module_name(path: Path, base: Path = GAME_DIR) -> str:
    parts = list(path.relative_to(base.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _targets(module: str, is_package: bool, node: ast.AST, known: set[str]) -> list[str]:
    """The ``game`` modules an import statement brings in (the package of ``from x import y``
    and ``x.y`` when ``y`` is a module)."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        assert isinstance(node, ast.ImportFrom)
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            head = ".".join(base + ([node.module] if node.module else []))
        else:
            head = node.module or ""
        names = [head] + [f"{head}.{a.name}" for a in node.names if f"{head}.{a.name}" in known]
    out = []
    for name in names:
        while name and name not in known and "." in name:
            name = name.rsplit(".", 1)[0]
        if name in known and name != module:
            out.append(name)
    return out


def import_graph(base: Path = GAME_DIR) -> dict[str, set[str]]:
    """{module: modules of ``game`` it imports}, from every import statement in its source."""
    files = {module_name(p, base): p for p in sorted(base.rglob("*.py"))}
    known = set(files)
    graph: dict[str, set[str]] = {m: set() for m in files}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                graph[module].update(_targets(module, path.name == "__init__.py", node, known))
    return graph


def package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def layer_of(module: str) -> int:
    pkg = package_of(module)
    for i, names in enumerate(LAYERS):
        if pkg in names:
            return i
    if module in ROOT_MODULES:
        return -1
    raise ValueError(f"{module}: package {pkg!r} is in no layer (add it to LAYERS)")


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for a, targets in graph.items():
        for b in targets:
            if package_of(a) != package_of(b):
                out[package_of(a)].add(package_of(b))
    return dict(out)


def layer_breaches(graph: dict[str, set[str]]) -> list[str]:
    """Imports of a higher layer (or of the same layer's other package: cli and tools)."""
    out = []
    for a, targets in sorted(graph.items()):
        for b in sorted(targets):
            la, lb = layer_of(a), layer_of(b)
            if lb > la or (lb == la and package_of(a) != package_of(b)):
                out.append(f"{a} imports {b}: {package_of(b)} is above {package_of(a)}")
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Module cycles (strongly connected components of more than one module)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(graph) + 100))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def main() -> int:
    graph = import_graph()
    for pkg, targets in sorted(package_graph(graph).items(), key=lambda kv: layer_of("game." + kv[0])):
        print(f"{pkg:9s} -> {', '.join(sorted(targets, key=lambda p: layer_of('game.' + p)))}")
    problems = layer_breaches(graph) + [f"cycle: {' <-> '.join(c)}" for c in cycles(graph)]
    for p in problems:
        print(p)
    print("layers and cycles: " + ("OK" if not problems else f"{len(problems)} problems"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
