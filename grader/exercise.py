"""Exercise folders: reading and validating what instructors write.

A folder ``exercises/<slug>/`` holds exercise.toml, README.md, starter.py,
solution.py, cases.py and mistakes/. Loading either gives a complete
Exercise or raises ExerciseFormatError naming the file, the field and what
was expected; nothing is half-loaded.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from grader.cases import Case
from grader.limits import Limits

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
REQUIRED_FILES = ("exercise.toml", "README.md", "starter.py", "solution.py", "cases.py")
KINDS = ("implement", "fix", "performance")
DIFFICULTIES = ("easy", "medium", "hard")
MODULES = ("numpy", "torch")
METRICS = ("score", "time")
CONTENT_VERSION = "1"  # bump when the meaning of a folder's contents changes


class ExerciseFormatError(Exception):
    """A folder that is not a valid exercise; the message says where and why."""

    def __init__(self, path: Path | str, field_name: str | None, problem: str):
        self.path, self.field, self.problem = str(path), field_name, problem
        where = f"{self.path}: {field_name}" if field_name else self.path
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Forbidden:
    calls: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    operators: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    loops: bool = False

    @property
    def any(self) -> bool:
        return bool(self.calls or self.methods or self.operators or self.modules or self.loops)


@dataclass(frozen=True)
class Exercise:
    path: Path
    slug: str
    title: str
    track: str
    order: int
    difficulty: str
    kind: str
    entry_points: tuple[str, ...]
    gpu: bool
    points: float
    modules: tuple[str, ...]
    limits: Limits
    rtol: float
    atol: float
    forbidden: Forbidden
    leaderboard_metric: str
    seed: int
    summary: str
    version: str
    max_source_bytes: int = 64 * 1024
    extra: dict = field(default_factory=dict)

    @property
    def statement(self) -> str:
        return (self.path / "README.md").read_text(encoding="utf-8")

    @property
    def starter(self) -> str:
        return (self.path / "starter.py").read_text(encoding="utf-8")

    @property
    def solution(self) -> str:
        return (self.path / "solution.py").read_text(encoding="utf-8")

    def mistakes(self) -> list[Path]:
        folder = self.path / "mistakes"
        return sorted(folder.glob("*.py")) if folder.is_dir() else []

    def cases_module(self) -> ModuleType:
        """cases.py, imported once per exercise version (grading asks for its diagnoses every time)."""
        key = (str(self.path), self.version)
        if key not in _CASES_MODULES:
            _CASES_MODULES[key] = _import_cases(self.path / "cases.py", self.slug)
        return _CASES_MODULES[key]

    def build_cases(self) -> list[Case]:
        """Run cases.py (trusted instructor code) and validate what it returns."""
        module = self.cases_module()
        builder = getattr(module, "build_cases", None)
        if not callable(builder):
            raise ExerciseFormatError(self.path / "cases.py", "build_cases", "define build_cases(rng)")
        cases = list(builder(np.random.default_rng(self.seed)))
        _validate_cases(cases, self)
        return cases

    def diagnoses(self) -> list:
        return list(getattr(self.cases_module(), "DIAGNOSES", []))


def load_exercise(path: Path | str) -> Exercise:
    path = Path(path)
    if not path.is_dir():
        raise ExerciseFormatError(path, None, "not a folder")
    for name in REQUIRED_FILES:
        if not (path / name).is_file():
            raise ExerciseFormatError(path / name, None, "missing: every exercise needs this file")
    toml_path = path / "exercise.toml"
    try:
        raw = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ExerciseFormatError(toml_path, None, f"not valid TOML: {exc}") from exc
    spec = _Spec(toml_path, raw)
    slug = spec.get("slug", str, pattern=SLUG, hint="lower-case words joined by '-'")
    if slug != path.name:
        raise ExerciseFormatError(toml_path, "slug", f"must equal the folder name {path.name!r}")
    limits_table = spec.table("limits")
    tolerance = spec.table("tolerance")
    forbidden = spec.table("forbidden")
    board = spec.table("leaderboard")
    default_limits = Limits()
    exercise = Exercise(
        path=path,
        slug=slug,
        title=spec.get("title", str),
        track=spec.get("track", str, pattern=SLUG, hint="a track slug"),
        order=spec.get("order", int, minimum=1),
        difficulty=spec.get("difficulty", str, choices=DIFFICULTIES),
        kind=spec.get("kind", str, choices=KINDS),
        entry_points=tuple(spec.get("entry_points", list, items=str, pattern=IDENTIFIER)),
        gpu=spec.get("gpu", bool, default=False),
        points=float(spec.get("points", (int, float), default=10, minimum=1)),
        modules=tuple(spec.get("modules", list, items=str, choices=MODULES, default=["numpy"])),
        limits=default_limits.with_overrides(
            wall_s=limits_table.get("time_s", (int, float), default=None, minimum=0.5, maximum=120),
            memory_mb=limits_table.get("memory_mb", int, default=None, minimum=64, maximum=16384),
            cpus=limits_table.get("cpus", (int, float), default=None, minimum=0.25, maximum=16),
            pids=limits_table.get("pids", int, default=None, minimum=8, maximum=4096),
        ),
        rtol=float(tolerance.get("rtol", (int, float), default=1e-6, minimum=0)),
        atol=float(tolerance.get("atol", (int, float), default=1e-8, minimum=0)),
        forbidden=Forbidden(
            calls=tuple(forbidden.get("calls", list, items=str, default=[])),
            methods=tuple(forbidden.get("methods", list, items=str, default=[])),
            operators=tuple(forbidden.get("operators", list, items=str, choices=("@",), default=[])),
            modules=tuple(forbidden.get("modules", list, items=str, default=[])),
            loops=forbidden.get("loops", bool, default=False),
        ),
        leaderboard_metric=board.get("metric", str, choices=METRICS, default="score"),
        seed=spec.get("seed", int, default=0),
        summary=spec.get("summary", str, default=""),
        version=content_hash(path),
    )
    spec.reject_unknown()
    if exercise.kind == "performance" and exercise.leaderboard_metric != "time":
        raise ExerciseFormatError(toml_path, "leaderboard.metric", "performance exercises rank by 'time'")
    if "torch" in exercise.forbidden.modules and "torch" in exercise.modules:
        raise ExerciseFormatError(toml_path, "forbidden.modules", "cannot forbid a module the exercise uses")
    return exercise


def load_all(root: Path | str) -> list[Exercise]:
    """Every exercise under root, in track order. Fails on the first bad folder."""
    root = Path(root)
    exercises = [load_exercise(p) for p in sorted(root.iterdir()) if p.is_dir() and not p.name.startswith((".", "_"))]
    return sorted(exercises, key=lambda e: (e.track, e.order, e.slug))


def content_hash(path: Path) -> str:
    """The exercise version: a hash of every file that affects grading."""
    digest = hashlib.sha256(CONTENT_VERSION.encode())
    for file in sorted(path.rglob("*")):
        if file.is_file() and "__pycache__" not in file.parts:
            digest.update(str(file.relative_to(path)).encode() + b"\0")
            digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


_CASES_MODULES: dict[tuple[str, str], ModuleType] = {}


def _import_cases(path: Path, slug: str) -> ModuleType:
    name = f"tensordojo_cases_{slug.replace('-', '_')}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        sys.modules.pop(name, None)
        raise ExerciseFormatError(path, None, f"cases.py failed to import: {type(exc).__name__}: {exc}") from exc
    return module


def _validate_cases(cases: list, exercise: Exercise) -> None:
    where = exercise.path / "cases.py"
    if not cases:
        raise ExerciseFormatError(where, "build_cases", "returned no cases")
    names = set()
    for case in cases:
        if not isinstance(case, Case):
            raise ExerciseFormatError(where, "build_cases", f"returned {type(case).__name__}, expected Case")
        if case.name in names:
            raise ExerciseFormatError(where, case.name, "two cases share this name")
        names.add(case.name)
        if case.entry not in exercise.entry_points:
            raise ExerciseFormatError(where, case.name, f"entry {case.entry!r} is not in entry_points")
        if case.points < 0:
            raise ExerciseFormatError(where, case.name, "points must be >= 0")
    if not any(c.visible for c in cases) or all(c.visible for c in cases):
        raise ExerciseFormatError(where, "build_cases", "needs at least one visible and one hidden case")
    if exercise.kind == "performance" and not any(c.is_timed for c in cases):
        raise ExerciseFormatError(where, "build_cases", "a performance exercise needs a timed case")


class _Spec:
    """Typed access to one TOML table, with errors that name file and field."""

    def __init__(self, path: Path, data: dict, prefix: str = ""):
        self.path, self.data, self.prefix = path, data, prefix
        self.seen: set[str] = set()
        self.children: list[_Spec] = []

    def table(self, name: str) -> _Spec:
        self.seen.add(name)
        value = self.data.get(name, {})
        if not isinstance(value, dict):
            raise ExerciseFormatError(self.path, self.prefix + name, "must be a table ([" + name + "])")
        child = _Spec(self.path, value, prefix=f"{self.prefix}{name}.")
        self.children.append(child)
        return child

    _MISSING = object()

    def get(
        self,
        name: str,
        kind,
        *,
        default: Any = _MISSING,
        choices=None,
        pattern=None,
        hint="",
        items=None,
        minimum=None,
        maximum=None,
    ):
        self.seen.add(name)
        field_name = self.prefix + name
        if name not in self.data:
            if default is self._MISSING:
                raise ExerciseFormatError(self.path, field_name, "required field is missing")
            return default
        value = self.data[name]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            expected = " or ".join(k.__name__ for k in kinds)
            raise ExerciseFormatError(self.path, field_name, f"expected {expected}, got {type(value).__name__}")
        values = value if isinstance(value, list) else [value]
        if items is not None:
            if not value and default is self._MISSING:
                raise ExerciseFormatError(self.path, field_name, "must not be empty")
            for item in values:
                if not isinstance(item, items):
                    raise ExerciseFormatError(self.path, field_name, f"every item must be {items.__name__}")
        for item in values:
            if choices is not None and item not in choices:
                raise ExerciseFormatError(
                    self.path, field_name, f"{item!r} is not one of {', '.join(map(str, choices))}"
                )
            if pattern is not None and not pattern.match(str(item)):
                raise ExerciseFormatError(self.path, field_name, f"{item!r} is not valid ({hint or pattern.pattern})")
            if minimum is not None and item < minimum:
                raise ExerciseFormatError(self.path, field_name, f"must be at least {minimum}")
            if maximum is not None and item > maximum:
                raise ExerciseFormatError(self.path, field_name, f"must be at most {maximum}")
        return value

    def reject_unknown(self) -> None:
        unknown = sorted(set(self.data) - self.seen)
        if unknown:
            raise ExerciseFormatError(self.path, self.prefix + unknown[0], "unknown field (a typo?)")
        for child in self.children:
            child.reject_unknown()
