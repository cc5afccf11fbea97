"""Lines on a board: our own code for an exercise, timed the way a submission is.

An exercise folder may hold ``lines/<name>.py``: a known implementation (cuBLAS
through ``torch.matmul``, PyTorch's fused attention) whose time the leaderboard
shows as the line to beat. The file's first line, a comment, is its label on the
board (``# cuBLAS (torch.matmul)``); without one, the file name is.

A line is timed through grade() like any submission (same shapes, same clock,
same checks of every output) with one difference: the exercise's forbidden-call
rules are off, because the line is our code and exists to call what learners may
not. It is never timed where the timed cases would not run: a GPU exercise on a
machine without a GPU runs in CPU-correctness mode, and an interpreter's time is
no line to beat.

The GPU device check (bench/gpu/device_check.sh) times the same files in process;
``device_check_lines`` reads its JSON so an operator can publish those times.
"""

from __future__ import annotations

import ast
import math
import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from grader.backends import Backend
from grader.exercise import ExerciseFolder, ExerciseFormatError
from grader.gpu import runs_on_gpu
from grader.grading import GraderConfig, grade
from grader.harness.forbidden import ForbiddenRules
from grader.reference import ExpectedStore
from grader.results import Verdict
from grader.source_checks import check_syntax

LINES_FOLDER = "lines"
LINE_NAME = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")
MAX_LABEL = 80
MAX_DEVICE = 200
LINE_POOL = 0  # every line is timed on the same pool seed's shapes: lines compare with each other
NO_GPU = "no GPU on this backend: a line's time is taken on a GPU (here the timed cases would not even run)"


class LineError(Exception):
    """A line that could not be timed or read; the message says which and why."""


class NoGpu(LineError):
    """The exercise would run in CPU-correctness mode here: there is no time to take."""


@dataclass(frozen=True)
class Line:
    """One line file: ``lines/<name>.py``."""

    name: str
    label: str
    source: str
    path: Path


@dataclass(frozen=True)
class LineTime:
    """A line's time, as the leaderboard ranks a submission's: the geometric mean of the shapes' medians."""

    slug: str
    name: str
    seconds: float
    device: str
    exercise_version: str
    measured_at: datetime | None = None


def line_names(folder: Path | str) -> set[str]:
    """The names of an exercise folder's line files (cheap: no file is read, none is checked)."""
    lines = Path(folder) / LINES_FOLDER
    return {path.stem for path in lines.glob("*.py")} if lines.is_dir() else set()


def has_lines(folder: Path | str) -> bool:
    """Whether an exercise folder has line files."""
    return bool(line_names(folder))


def line_files(folder: Path | str, entry_points: Iterable[str] = ()) -> dict[str, Line]:
    """The line files of an exercise folder, by name; {} when it has none.

    Raises ExerciseFormatError naming the file and what is wrong, as exercise loading does.
    ``entry_points``: when given, each line must define one of them.
    """
    lines_dir = Path(folder) / LINES_FOLDER
    if not lines_dir.exists():
        return {}
    if not lines_dir.is_dir():
        raise ExerciseFormatError(lines_dir, None, "must be a folder of line files (lines/<name>.py)")
    entries = set(entry_points)
    found = {}
    for path in sorted(lines_dir.glob("*.py")):
        found[path.stem] = _read_line(path, entries)
    return found


def exercise_lines(exercise: ExerciseFolder) -> dict[str, Line]:
    """An exercise's line files, each checked to define one of its entry points."""
    return line_files(exercise.path, exercise.entry_points)


def _read_line(path: Path, entry_points: set[str]) -> Line:
    if not LINE_NAME.match(path.stem):
        raise ExerciseFormatError(path, None, "line files are named lines/<lower_case_name>.py")
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ExerciseFormatError(path, None, f"not UTF-8 text: {exc}") from exc
    problem = check_syntax(source, filename=path.name)
    if problem is not None:
        raise ExerciseFormatError(path, f"line {problem.line}", f"syntax error: {problem.message}")
    first = source.splitlines()[0].strip() if source.strip() else ""
    label = first.lstrip("#").strip() if first.startswith("#") else ""
    if len(label) > MAX_LABEL:
        raise ExerciseFormatError(
            path, "label", f"the first line is the line's label on the board: at most {MAX_LABEL} characters"
        )
    if entry_points:
        defined = {n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)}
        if not defined & entry_points:
            wanted = ", ".join(sorted(entry_points))
            raise ExerciseFormatError(path, None, f"defines none of the exercise's entry points ({wanted})")
    return Line(name=path.stem, label=label or path.stem.replace("_", " "), source=source, path=path)


def time_line(
    exercise: ExerciseFolder,
    name: str,
    *,
    backend: Backend,
    store: ExpectedStore | None = None,
    device: str | None = None,
    config: GraderConfig | None = None,
) -> LineTime:
    """Time line ``name`` of ``exercise`` through grade() on ``backend``, as a submission is timed.

    Raises NoGpu where the exercise's timed cases would not run on a GPU, LineError when the
    line fails or yields no time; grade()'s own errors (SandboxUnavailable,
    InternalGradingError) pass through.
    """
    if not runs_on_gpu(exercise, backend):
        raise NoGpu(f"{exercise.slug}: {NO_GPU}")
    lines = exercise_lines(exercise)
    if name not in lines:
        raise LineError(f"{exercise.slug} has no line {name!r} (lines: {', '.join(lines) or 'none'})")
    # Our code, not a learner's: the rules guard learners (torch.matmul is the very point of cuBLAS's line).
    ours = replace(exercise, forbidden=ForbiddenRules())
    result = grade(ours, lines[name].source, backend=backend, store=store, pool_index=LINE_POOL, config=config)
    seconds = next((entry["value"] for entry in result.leaderboard if entry["name"] == "time"), None)
    if result.verdict != Verdict.ACCEPTED or seconds is None:
        why = result.message if result.verdict != Verdict.ACCEPTED else "no timed case was timed"
        raise LineError(f"{exercise.slug} line {name!r}: {result.verdict}: {why}")
    return LineTime(
        slug=exercise.slug,
        name=name,
        seconds=float(seconds),
        device=device or device_name(gpu=exercise.gpu),
        exercise_version=exercise.version,
        measured_at=datetime.now(UTC),
    )


def device_name(*, gpu: bool) -> str:
    """What this machine times on, in words: the first GPU's name from nvidia-smi, or "CPU"."""
    if not gpu:
        return "CPU"
    smi = shutil.which("nvidia-smi")
    if smi:
        try:
            done = subprocess.run(
                [smi, "--query-gpu=name", "--format=csv,noheader"], capture_output=True, text=True, timeout=10
            )
        except (OSError, subprocess.TimeoutExpired):
            done = None
        names = done.stdout.strip().splitlines() if done is not None and done.returncode == 0 else []
        if names and names[0].strip():
            return names[0].strip()[:MAX_DEVICE]
    return "a GPU (model not reported)"


def device_check_lines(document: object, slug: str, exercise_version: str) -> list[LineTime]:
    """The line times bench/gpu/device_check.py wrote for one exercise, read and checked once.

    ``document`` is gpu.json as parsed: its "device" and "started", and under ``slug`` one
    entry per timed source ({"geometric_mean_s": ...}), "reference" being the exercise's own
    solution (not a line). ``exercise_version`` is used when the entry records none (files
    written before it did). Raises LineError saying what is missing or malformed.
    """
    if not isinstance(document, Mapping):
        raise LineError("the device check's JSON must be an object")
    device = document.get("device")
    if not isinstance(device, str) or not device.strip() or len(device) > MAX_DEVICE:
        raise LineError(f"the device check's JSON has no usable 'device' (a name up to {MAX_DEVICE} characters)")
    measured_at = _started(document.get("started"))
    entry = document.get(slug)
    if not isinstance(entry, Mapping):
        raise LineError(f"{slug}: not in the device check's JSON (did the check time this exercise?)")
    if "error" in entry:  # a traceback: its last line says what broke
        last = (str(entry["error"]).strip().splitlines() or ["no detail"])[-1]
        raise LineError(f"{slug}: the device check failed on this exercise: {last[:300]}")
    version = entry.get("version", exercise_version)
    if not isinstance(version, str) or not version:
        raise LineError(f"{slug}: 'version' must be the exercise version the check timed")
    times = []
    for name, value in entry.items():
        if name in ("reference", "shapes", "version"):
            continue
        seconds = value.get("geometric_mean_s") if isinstance(value, Mapping) else None
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 < seconds < math.inf:
            raise LineError(f"{slug}.{name}: 'geometric_mean_s' must be a positive number of seconds")
        times.append(LineTime(slug, str(name), float(seconds), device.strip(), version, measured_at))
    return times


def _started(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None
