"""The forbidden-construct check, shared by the grader and the sandbox (standard library only).

Outside, grader.source_checks runs it on a submission before any sandbox
starts. Inside, grader/harness/guard.py runs the same check on every source
that is compiled at run time (``exec``, ``eval``, ``compile``, a module
imported from a file), so a rule cannot be talked around by building the code
as a string. The rules travel into the sandbox as plain data (``ForbiddenRules.as_dict``).

Names are resolved through imports (``import numpy as np``, ``from numpy import
dot as d``), and dynamic look-ups that could hide a forbidden call
(``getattr(np, name)``, ``eval``, ``__import__``) are refused in exercises
that forbid anything.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

DYNAMIC_CALLS = {"eval", "exec", "compile", "__import__", "globals", "vars", "locals"}
DYNAMIC_MODULES = {"importlib", "ctypes", "builtins", "inspect", "gc", "pickle", "marshal", "operator", "types"}
DYNAMIC_NAMES = {"sys.modules", "sys._getframe", "sys.meta_path", "sys.path_hooks"}
MATMUL_METHODS = {"__matmul__", "__rmatmul__", "__imatmul__"}
LOOP_HELPERS = {"numpy.vectorize", "numpy.apply_along_axis", "numpy.frompyfunc", "map", "itertools"}


@dataclass(frozen=True)
class ForbiddenRules:
    """What an exercise forbids, as plain data."""

    calls: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    operators: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    loops: bool = False

    @property
    def any(self) -> bool:
        return bool(self.calls or self.methods or self.operators or self.modules or self.loops)

    def as_dict(self) -> dict:
        return {
            "calls": list(self.calls),
            "methods": list(self.methods),
            "operators": list(self.operators),
            "modules": list(self.modules),
            "loops": self.loops,
        }

    @classmethod
    def from_dict(cls, data: dict) -> ForbiddenRules:
        return cls(
            calls=tuple(str(x) for x in data.get("calls", ())),
            methods=tuple(str(x) for x in data.get("methods", ())),
            operators=tuple(str(x) for x in data.get("operators", ())),
            modules=tuple(str(x) for x in data.get("modules", ())),
            loops=bool(data.get("loops", False)),
        )


@dataclass(frozen=True)
class SourceProblem:
    kind: str  # "syntax" | "forbidden"
    line: int
    message: str


def find_problems(tree: ast.AST, rules: ForbiddenRules) -> list[SourceProblem]:
    """Every forbidden construct in a parsed source, in line order."""
    if not rules.any:
        return []
    visitor = _ForbiddenVisitor(rules)
    visitor.visit(tree)
    return sorted(visitor.problems, key=lambda p: p.line)


class _ForbiddenVisitor(ast.NodeVisitor):
    def __init__(self, forbidden: ForbiddenRules):
        self.forbidden = forbidden
        self.calls = set(forbidden.calls)
        self.methods = set(forbidden.methods)
        if "@" in forbidden.operators or any(c.endswith(".matmul") for c in forbidden.calls):
            self.methods |= MATMUL_METHODS  # x.__matmul__(y) is the @ operator by name
        self.modules = set(forbidden.modules)
        self.aliases: dict[str, str] = {}
        self.problems: list[SourceProblem] = []

    def report(self, node: ast.AST, message: str) -> None:
        self.problems.append(SourceProblem("forbidden", getattr(node, "lineno", 0), message))

    # imports -------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._check_module(node, alias.name)
            local = alias.asname or alias.name.split(".")[0]
            self.aliases[local] = alias.name if alias.asname else alias.name.split(".")[0]

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        self._check_module(node, module)
        for alias in node.names:
            full = f"{module}.{alias.name}"
            self._check_module(node, full)
            self._check_name(node, full)
            self.aliases[alias.asname or alias.name] = full

    def _check_module(self, node: ast.AST, module: str) -> None:
        root = module.split(".")[0]
        if module in self.modules or root in self.modules:
            self.report(node, f"importing {module} is not allowed in this exercise")
        if self.forbidden.calls and root in DYNAMIC_MODULES:
            self.report(node, f"importing {module} is not allowed here: it can hide forbidden calls")

    # names ---------------------------------------------------------------
    def _resolve(self, node: ast.AST) -> str | None:
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            base = self._resolve(node.value)
            return f"{base}.{node.attr}" if base else None
        return None

    def _check_name(self, node: ast.AST, name: str) -> None:
        for banned in self.calls:
            if name == banned or name.startswith(banned + ".") or _same_function(name, banned):
                self.report(node, f"{_pretty(banned)} is not allowed in this exercise")
                return
        if self.forbidden.loops and name in LOOP_HELPERS:
            self.report(node, f"{_pretty(name)} is a Python loop in disguise; use array operations")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        name = self._resolve(node)
        if name:
            self._check_name(node, name)
            if self.forbidden.calls and name in DYNAMIC_NAMES:
                self.report(node, f"{name} is not allowed here: it can hide forbidden calls")
        if node.attr in self.methods:
            self.report(node, f".{node.attr}() is not allowed in this exercise")
        if self.forbidden.calls and node.attr in ("__dict__", "__getattribute__", "__builtins__"):
            self.report(node, f"{node.attr} is not allowed here: it can hide forbidden calls")
        if not name:  # a resolved chain (np.linalg.inv) needs no second look at its parts
            self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        resolved = self.aliases.get(node.id)
        if resolved:
            self._check_name(node, resolved)
        elif self.forbidden.loops and node.id == "map":
            self.report(node, "map() is a Python loop in disguise; use array operations")

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and self.forbidden.calls:
            if func.id in DYNAMIC_CALLS:
                self.report(node, f"{func.id}() is not allowed here: it can hide forbidden calls")
            if func.id in ("getattr", "setattr") and not (
                len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)
            ):
                self.report(node, f"{func.id}() with a computed name is not allowed here")
            if func.id == "getattr" and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant):
                base = self._resolve(node.args[0])
                if base:
                    self._check_name(node, f"{base}.{node.args[1].value}")
                if str(node.args[1].value) in self.methods:
                    self.report(node, f".{node.args[1].value}() is not allowed in this exercise")
        self.generic_visit(node)

    # operators and loops ------------------------------------------------------
    def visit_BinOp(self, node: ast.BinOp) -> None:
        if isinstance(node.op, ast.MatMult) and "@" in self.forbidden.operators:
            self.report(node, "the @ operator is not allowed in this exercise")
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if isinstance(node.op, ast.MatMult) and "@" in self.forbidden.operators:
            self.report(node, "the @= operator is not allowed in this exercise")
        self.generic_visit(node)

    def _loop(self, node: ast.AST, what: str) -> None:
        if self.forbidden.loops:
            self.report(node, f"a Python {what} is not allowed here; use array operations")
        self.generic_visit(node)

    def visit_For(self, node):
        self._loop(node, "for loop")

    def visit_AsyncFor(self, node):
        self._loop(node, "for loop")

    def visit_While(self, node):
        self._loop(node, "while loop")

    def visit_ListComp(self, node):
        self._loop(node, "list comprehension")

    def visit_SetComp(self, node):
        self._loop(node, "set comprehension")

    def visit_DictComp(self, node):
        self._loop(node, "dict comprehension")

    def visit_GeneratorExp(self, node):
        self._loop(node, "generator expression")


def _same_function(name: str, banned: str) -> bool:
    """numpy.core.multiarray.matmul is numpy.matmul under another path: same package, same last name."""
    root, _, last = banned.partition(".")
    leaf = banned.rsplit(".", 1)[-1]
    return bool(last) and name.startswith(root + ".") and name.rsplit(".", 1)[-1] == leaf


def _pretty(name: str) -> str:
    for long, short in (("numpy.", "np."), ("torch.nn.functional.", "F.")):
        if name.startswith(long):
            return short + name[len(long) :]
    return name
