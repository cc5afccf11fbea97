"""Exercise folders: reading and validating what instructors write.

A folder ``exercises/<slug>/`` holds exercise.toml, README.md, starter.py,
solution.py, cases.py and mistakes/, and for the learning loop hints.md (one
hint per ``## `` section, in order) and explanation.md (opened once solved).
Loading either gives a complete ExerciseFolder or raises ExerciseFormatError naming
the file, the field and what was expected; nothing is half-loaded.

The lesson an exercise practises lives beside the exercises, in
``exercises/lesson/NN-<anchor>.md`` (one file per section, NN its position);
an exercise names its section with ``lesson = "<anchor>"``.
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
from grader.harness.forbidden import ForbiddenRules
from grader.limits import Limits

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
REQUIRED_FILES = ("exercise.toml", "README.md", "starter.py", "solution.py", "cases.py")
EXERCISE_KINDS = ("implement", "fix", "performance")
DIFFICULTIES = ("easy", "medium", "hard")
MODULES = ("numpy", "torch")
METRICS = ("score", "time")
LEARNING_FILES = ("hints.md", "explanation.md")  # required for exercises of a declared track
LESSON_FOLDER = "lesson"  # exercises/lesson/NN-<anchor>.md: the lesson's sections, not an exercise
TRACKS_FILE = "tracks.toml"
MAX_HINTS = 6
CONTENT_VERSION = "1"  # bump when the meaning of a folder's contents changes


class ExerciseFormatError(Exception):
    """A folder that is not a valid exercise; the message says where and why."""

    def __init__(self, path: Path | str, field_name: str | None, problem: str):
        self.path, self.field, self.problem = str(path), field_name, problem
        where = f"{self.path}: {field_name}" if field_name else self.path
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class ExerciseFolder:
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
    forbidden: ForbiddenRules  # the very table the sandbox's audit hook reads (one definition)
    leaderboard_metric: str
    seed: int
    summary: str
    version: str
    lesson: str | None = None  # anchor of the lesson section it practises
    prerequisites: tuple[str, ...] = ()  # slugs worth solving first
    minutes: int | None = None  # estimated time for a learner
    max_source_bytes: int = 64 * 1024
    extra: dict = field(default_factory=dict)

    @property
    def hints(self) -> list[str]:
        """The hints' Markdown, in the order they unlock ([] when there is no hints.md)."""
        path = self.path / "hints.md"
        return _parse_hints(path) if path.is_file() else []

    @property
    def explanation(self) -> str:
        """explanation.md ("" when there is none): the idea, the usual mistakes, a worked solution."""
        path = self.path / "explanation.md"
        return path.read_text(encoding="utf-8").strip() if path.is_file() else ""

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


def load_exercise(path: Path | str, *, siblings: bool = True) -> ExerciseFolder:
    """Read and validate one exercise folder.

    ``siblings``: also check what the folder says about the folders beside it (its lesson
    section, its prerequisites, its track's learning material). A stored version fetched
    on its own (catalog.versions) has no siblings: those were checked when it was pushed.
    """
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
    exercise = ExerciseFolder(
        path=path,
        slug=slug,
        title=spec.get("title", str),
        track=spec.get("track", str, pattern=SLUG, hint="a track slug"),
        order=spec.get("order", int, minimum=1),
        difficulty=spec.get("difficulty", str, choices=DIFFICULTIES),
        kind=spec.get("kind", str, choices=EXERCISE_KINDS),
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
        forbidden=ForbiddenRules(
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
        lesson=spec.get("lesson", str, default=None, pattern=SLUG, hint="a lesson section's anchor"),
        prerequisites=tuple(
            spec.get("prerequisites", list, items=str, pattern=SLUG, hint="exercise slugs", default=[])
        ),
        minutes=spec.get("minutes", int, default=None, minimum=1, maximum=600),
    )
    spec.reject_unknown()
    if siblings:
        _validate_links(exercise, toml_path)
    _validate_learning_material(exercise, required=siblings and _in_declared_track(exercise))
    if exercise.kind == "performance" and exercise.leaderboard_metric != "time":
        raise ExerciseFormatError(toml_path, "leaderboard.metric", "performance exercises rank by 'time'")
    if "torch" in exercise.forbidden.modules and "torch" in exercise.modules:
        raise ExerciseFormatError(toml_path, "forbidden.modules", "cannot forbid a module the exercise uses")
    return exercise


def exercise_folders(root: Path | str) -> list[Path]:
    """The folders under root that are exercises (not the lesson, not hidden or private ones)."""
    return [
        p
        for p in sorted(Path(root).iterdir())
        if p.is_dir() and not p.name.startswith((".", "_")) and p.name != LESSON_FOLDER
    ]


def load_all(root: Path | str) -> list[ExerciseFolder]:
    """Every exercise under root, in track order. Fails on the first bad folder."""
    exercises = [load_exercise(p) for p in exercise_folders(root)]
    return sorted(exercises, key=lambda e: (e.track, e.order, e.slug))


@dataclass(frozen=True)
class LessonSection:
    """One section of the lesson: a Markdown page with a stable anchor."""

    anchor: str
    title: str
    order: int
    path: Path
    exercises: tuple[str, ...] = ()  # slugs whose exercise.toml names this section, in track order

    @property
    def text(self) -> str:
        """The page's Markdown (its first line is the ``# `` title)."""
        return self.path.read_text(encoding="utf-8")


LESSON_FILE = re.compile(r"^(?P<order>[0-9]{2})-(?P<anchor>[a-z0-9]+(-[a-z0-9]+)*)\.md$")


def lesson_sections(root: Path | str, exercises: list[ExerciseFolder] | None = None) -> list[LessonSection]:
    """The sections of ``root/lesson/``, in order, each with the exercises that practise it."""
    folder = Path(root) / LESSON_FOLDER
    if not folder.is_dir():
        return []
    exercises = load_all(root) if exercises is None else exercises
    sections = []
    for path in sorted(folder.glob("*.md")):
        match = LESSON_FILE.match(path.name)
        if not match:
            raise ExerciseFormatError(path, None, "lesson files are named NN-<anchor>.md, e.g. 01-mechanics.md")
        first = path.read_text(encoding="utf-8").lstrip().splitlines()[:1]
        if not first or not first[0].startswith("# "):
            raise ExerciseFormatError(path, None, "the first line must be the section's '# ' title")
        anchor = match.group("anchor")
        practised = tuple(e.slug for e in sorted(exercises, key=lambda e: (e.order, e.slug)) if e.lesson == anchor)
        sections.append(LessonSection(anchor, first[0][2:].strip(), int(match.group("order")), path, practised))
    anchors = [s.anchor for s in sections]
    if len(set(anchors)) != len(anchors):
        raise ExerciseFormatError(folder, None, "two lesson files share an anchor")
    return sections


def _lesson_anchors(folder: Path) -> list[str]:
    return [m.group("anchor") for p in sorted(folder.glob("*.md")) if (m := LESSON_FILE.match(p.name))]


def _validate_links(exercise: ExerciseFolder, toml_path: Path) -> None:
    """lesson names an existing section, prerequisites name existing exercises (when they sit beside it)."""
    lesson_folder = exercise.path.parent / LESSON_FOLDER
    if exercise.lesson is not None and lesson_folder.is_dir():
        anchors = _lesson_anchors(lesson_folder)
        if exercise.lesson not in anchors:
            raise ExerciseFormatError(
                toml_path,
                "lesson",
                f"no section {exercise.lesson!r} in {lesson_folder} (anchors: {', '.join(anchors) or 'none'})",
            )
    for slug in exercise.prerequisites:
        if slug == exercise.slug:
            raise ExerciseFormatError(toml_path, "prerequisites", "an exercise cannot be its own prerequisite")
        if not (exercise.path.parent / slug / "exercise.toml").is_file():
            raise ExerciseFormatError(toml_path, "prerequisites", f"{slug!r} is not an exercise folder beside this one")


def _in_declared_track(exercise: ExerciseFolder) -> bool:
    """Whether the exercise belongs to a track declared in the tracks.toml beside it (the published track)."""
    tracks_path = exercise.path.parent / TRACKS_FILE
    if not tracks_path.is_file():
        return False
    try:
        tracks = tomllib.loads(tracks_path.read_text(encoding="utf-8")).get("tracks", {})
    except tomllib.TOMLDecodeError as exc:
        raise ExerciseFormatError(tracks_path, None, f"not valid TOML: {exc}") from exc
    return exercise.track in tracks


def _validate_learning_material(exercise: ExerciseFolder, *, required: bool) -> None:
    """hints.md and explanation.md: well-formed when present; present when required."""
    for name in LEARNING_FILES:
        path = exercise.path / name
        if not path.is_file():
            if required:
                raise ExerciseFormatError(path, None, f"missing: every exercise of track {exercise.track!r} needs it")
            continue
        if name == "hints.md":
            _parse_hints(path)
        elif not path.read_text(encoding="utf-8").strip():
            raise ExerciseFormatError(path, None, "is empty: write the idea, the usual mistakes and a worked solution")


def _parse_hints(path: Path) -> list[str]:
    """One hint per '## ' section, in order; text before the first is allowed only as a '# ' title."""
    sections: list[list[str]] = []
    preamble: list[str] = []
    fenced = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            sections.append([])
            continue
        (sections[-1] if sections else preamble).append(line)
    stray = [line for line in preamble if line.strip() and not line.startswith("# ")]
    if stray:
        raise ExerciseFormatError(path, None, f"text before the first '## ' hint: {stray[0][:60]!r}")
    if not sections:
        raise ExerciseFormatError(path, None, "no hints: start each hint with a '## ' heading")
    if len(sections) > MAX_HINTS:
        raise ExerciseFormatError(path, None, f"{len(sections)} hints; at most {MAX_HINTS}")
    hints = ["\n".join(lines).strip() for lines in sections]
    for number, hint in enumerate(hints, 1):
        if not hint:
            raise ExerciseFormatError(path, f"hint {number}", "is empty")
    return hints


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


def _validate_cases(cases: list, exercise: ExerciseFolder) -> None:
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
