"""`manage.py exercises check`: an exercise is proven step by step, through the real sandbox.

An exercise is proven when the reference passes every case, the starter does not, and each
file in mistakes/ fails with the diagnosis (or verdict) its header states — named on the
first case where it fails, not merely somewhere (``expectations``). Then its diagnoses are
proven sound on cases built from other seeds (``soundness``), and, on request, the sandbox
versions it was proven on are recorded (``proofs``).
"""

from __future__ import annotations

import re
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from grader.authoring import proofs, soundness
from grader.authoring.expectations import check_grade, parse_expectation
from grader.backends import Backend
from grader.exercise import ExerciseFolder, ExerciseFormatError, load_exercise
from grader.lines import exercise_lines
from grader.reference import ExpectedStore

TODO = re.compile(r"\bTODO\b")
MIN_MISTAKES = 3
AUTHORED_FILES = ("exercise.toml", "README.md", "starter.py", "solution.py", "cases.py", "hints.md", "explanation.md")


@dataclass
class Step:
    what: str
    ok: bool
    detail: str = ""


@dataclass
class CheckReport:
    slug: str
    steps: list[Step] = field(default_factory=list)
    seconds: float = 0.0
    proof: dict | None = None  # what was recorded in exercises/.proofs/<slug>.json

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(s.ok for s in self.steps)

    def add(self, what: str, ok: bool, detail: str = "") -> bool:
        self.steps.append(Step(what, ok, detail))
        return ok

    def count(self, prefix: str) -> tuple[int, int]:
        chosen = [s for s in self.steps if s.what.startswith(prefix)]
        return sum(s.ok for s in chosen), len(chosen)


def check_cost(path: Path) -> int:
    """How long an exercise's check takes, as a rank (3 GPU under Triton's interpreter, 2 PyTorch,
    1 the rest, 0 unreadable): `exercises check --jobs N` starts the costliest first.

    Read from exercise.toml without loading the folder: a broken one is reported by its check."""
    try:
        data = tomllib.loads((Path(path) / "exercise.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return 0
    if data.get("gpu") is True:
        return 3
    modules = data.get("modules")
    return 2 if isinstance(modules, list) and "torch" in modules else 1


def check_exercise(
    path: Path,
    backend: Backend,
    store: ExpectedStore | None = None,
    *,
    seeds: int | None = None,
    record: bool = False,
    siblings: bool = True,
) -> CheckReport:
    """Prove one exercise folder; ``record`` writes exercises/.proofs/<slug>.json when it is proven.

    ``siblings=False``: a folder checked on its own (in an exercise sandbox), whose links to
    the folders beside it were checked when it was pushed."""
    started = time.monotonic()
    report = CheckReport(slug=Path(path).name)
    try:
        exercise = load_exercise(path, siblings=siblings)
        exercise.build_cases()
    except ExerciseFormatError as exc:
        report.add("format", False, str(exc))
        return report
    try:  # lines to beat (GPU exercises): checked here, not first when a GPU worker times them
        lines = exercise_lines(exercise)
    except ExerciseFormatError as exc:
        report.add("format", False, str(exc))
        return report
    beat = f", {len(lines)} line(s) to beat" if lines else ""
    report.add("format", True, f"{len(exercise.build_cases())} cases{beat}")
    for name in AUTHORED_FILES:
        file = exercise.path / name
        if file.is_file() and TODO.search(file.read_text(encoding="utf-8")):
            report.add("todo", False, f"{name} still contains TODO: replace it with the real content")
    store = store or ExpectedStore()
    if _check_reference(report, exercise, backend, store):  # the rest is measured against it
        _check_starter(report, exercise, backend, store)
        _check_mistakes(report, exercise, backend, store)
        soundness.prove(report, exercise, backend, store, seeds)
        if record and report.ok:
            proofs.record_proof(report, exercise, backend, store)
    report.seconds = time.monotonic() - started
    return report


def _check_reference(report: CheckReport, exercise: ExerciseFolder, backend, store) -> bool:
    try:
        result = check_grade(exercise, exercise.solution, backend, store)
    except Exception as exc:  # the point of check is to say what is wrong
        return report.add("reference", False, f"{type(exc).__name__}: {exc}")
    failing = [f"{c.name}: {c.message}" for c in result.cases if not c.passed]
    return report.add(
        "reference",
        result.verdict == "accepted",
        "passes every case" if not failing else "fails: " + "; ".join(failing[:3]) + f" ({result.message})",
    )


def _check_starter(report: CheckReport, exercise: ExerciseFolder, backend, store) -> None:
    try:
        result = check_grade(exercise, exercise.starter, backend, store)
    except Exception as exc:  # say what is wrong and go on to the mistakes
        report.add("starter", False, f"could not be graded: {type(exc).__name__}: {exc}"[:300])
        return
    report.add(
        "starter",
        result.verdict != "accepted",
        f"fails as it should ({result.verdict})"
        if result.verdict != "accepted"
        else "the starter passes every case: it must leave work to do",
    )


def _check_mistakes(report: CheckReport, exercise: ExerciseFolder, backend, store) -> None:
    mistakes = exercise.mistakes()
    if len(mistakes) < MIN_MISTAKES:
        report.add(
            "mistakes",
            False,
            f"mistakes/ has {len(mistakes)} files; write at least {MIN_MISTAKES} "
            "wrong solutions, each with '# expect: <diagnosis-id>' on its first lines",
        )
    for path in mistakes:
        source = path.read_text(encoding="utf-8")
        expectation = parse_expectation(source)
        if expectation is None:
            report.add(f"mistake {path.name}", False, "no '# expect: <diagnosis-id>' (or verdict=...) header")
            continue
        try:
            result = check_grade(exercise, source, backend, store)
        except Exception as exc:  # the point of check is to say what is wrong, then go on
            report.add(f"mistake {path.name}", False, f"could not be graded: {type(exc).__name__}: {exc}"[:300])
            continue
        kind, wanted = expectation
        if result.verdict == "accepted":
            report.add(f"mistake {path.name}", False, "passes every case: the cases do not catch this mistake")
        elif kind == "verdict":
            report.add(
                f"mistake {path.name}",
                result.verdict == wanted,
                f"verdict {result.verdict}" + ("" if result.verdict == wanted else f", expected {wanted}"),
            )
        else:
            first = next(c for c in result.cases if not c.passed)
            report.add(
                f"mistake {path.name}",
                first.diagnosis == wanted,
                f"diagnosed as {wanted} on its first failing case ({first.name})"
                if first.diagnosis == wanted
                else f"expected diagnosis {wanted} on its first failing case ({first.name}), got "
                f"{first.diagnosis or 'none'} ({first.message[:160]})",
            )
