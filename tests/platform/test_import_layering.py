"""Imports among the platform's modules run one way: no module reaches itself through its imports.

Found with a small AST walk over platform/ (every import statement, including the ones
inside functions, since a deferred import is still a dependency). The grading cycle
submissions.grading -> services -> tasks -> grading was broken by sending the task by
name (submissions.dispatch); this keeps any cycle from coming back.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PLATFORM = ROOT / "platform"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PLATFORM).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def platform_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for path in PLATFORM.rglob("*.py")
        if "migrations" not in path.parts and "__pycache__" not in path.parts
    }


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The platform modules ``path`` imports (``from a import b`` counts a.b when that is a module)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        else:
            continue
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name:
                found.add(name)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = platform_modules()
    names = set(modules)
    graph = {}
    for name, path in modules.items():
        package = name.split(".")[0]
        # A package's __init__ is imported with each of its modules: an edge to it is not a cycle of ours.
        graph[name] = {target for target in imports_of(path, names) if target not in (name, package)}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the list of modules along it, or None (depth-first search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return path[path.index(target) :] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_the_graph_sees_deferred_imports():
    graph = import_graph()
    assert "submissions.dispatch" in graph["submissions.services"]
    assert "submissions.worker" in graph["submissions.tasks"]


def test_no_import_cycle_among_platform_modules():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)
