"""Proving an exercise (`manage.py exercises check`) and scaffolding a new one.

An exercise is proven when, through the real sandbox, the reference passes
every case, the starter does not, and each file in mistakes/ fails with the
diagnosis (or verdict) its header states:

    # expect: elementwise-product
    # expect: verdict=forbidden_call
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from grader.backends import Backend
from grader.exercise import Exercise, ExerciseFormatError, load_exercise
from grader.grading import grade
from grader.reference import ExpectedStore

EXPECT = re.compile(r"^#\s*expect:\s*(?:verdict=(?P<verdict>[a-z_]+)|(?P<diagnosis>[a-z0-9-]+))\s*$", re.M)
TODO = re.compile(r"\bTODO\b")
MIN_MISTAKES = 3


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

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(s.ok for s in self.steps)

    def add(self, what: str, ok: bool, detail: str = "") -> bool:
        self.steps.append(Step(what, ok, detail))
        return ok

    def count(self, prefix: str) -> tuple[int, int]:
        chosen = [s for s in self.steps if s.what.startswith(prefix)]
        return sum(s.ok for s in chosen), len(chosen)


def parse_expectation(source: str) -> tuple[str, str] | None:
    """('diagnosis', id) or ('verdict', name) from a mistake file's header."""
    match = EXPECT.search(source)
    if not match:
        return None
    if match.group("verdict"):
        return "verdict", match.group("verdict")
    return "diagnosis", match.group("diagnosis")


def check_exercise(path: Path, backend: Backend, store: ExpectedStore | None = None) -> CheckReport:
    started = time.monotonic()
    report = CheckReport(slug=Path(path).name)
    try:
        exercise = load_exercise(path)
        exercise.build_cases()
    except ExerciseFormatError as exc:
        report.add("format", False, str(exc))
        return report
    report.add("format", True, f"{len(exercise.build_cases())} cases")
    for name in ("exercise.toml", "README.md", "starter.py", "solution.py", "cases.py"):
        text = (exercise.path / name).read_text(encoding="utf-8")
        if TODO.search(text):
            report.add("todo", False, f"{name} still contains TODO: replace it with the real content")
    store = store or ExpectedStore()
    if _check_reference(report, exercise, backend, store):  # the rest is measured against it
        _check_starter(report, exercise, backend, store)
        _check_mistakes(report, exercise, backend, store)
    report.seconds = time.monotonic() - started
    return report


def _check_reference(report: CheckReport, exercise: Exercise, backend, store) -> bool:
    try:
        result = grade(exercise, exercise.solution, backend=backend, store=store)
    except Exception as exc:  # the point of check is to say what is wrong
        return report.add("reference", False, f"{type(exc).__name__}: {exc}")
    failing = [f"{c.name}: {c.message}" for c in result.cases if not c.passed]
    return report.add(
        "reference",
        result.verdict == "accepted",
        "passes every case" if not failing else "fails: " + "; ".join(failing[:3]) + f" ({result.message})",
    )


def _check_starter(report: CheckReport, exercise: Exercise, backend, store) -> None:
    result = grade(exercise, exercise.starter, backend=backend, store=store)
    report.add(
        "starter",
        result.verdict != "accepted",
        f"fails as it should ({result.verdict})"
        if result.verdict != "accepted"
        else "the starter passes every case: it must leave work to do",
    )


def _check_mistakes(report: CheckReport, exercise: Exercise, backend, store) -> None:
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
        result = grade(exercise, source, backend=backend, store=store)
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
            found = sorted({c.diagnosis for c in result.cases if c.diagnosis})
            report.add(
                f"mistake {path.name}",
                wanted in found,
                f"diagnosed as {wanted}"
                if wanted in found
                else f"expected diagnosis {wanted}, got {found or 'none'} ({result.message[:160]})",
            )


SCAFFOLD = {
    "exercise.toml": """slug = "{slug}"
title = "TODO: a short title"
track = "matmul-and-linear-maps"
order = 99
difficulty = "easy"          # easy | medium | hard
kind = "implement"           # implement | fix | performance
summary = "TODO: one sentence for the exercise list."
entry_points = ["solve"]     # the functions learners write
points = 10
modules = ["numpy"]          # add "torch" if inputs are tensors

[limits]
time_s = 10                  # all cases together
memory_mb = 1024

[tolerance]                  # state these in README.md too
rtol = 1e-6
atol = 1e-8

[forbidden]                  # detected from the source, reported as a verdict
calls = []                   # e.g. ["numpy.matmul"]
operators = []               # e.g. ["@"]
modules = []                 # e.g. ["torch"]
loops = false                # true: no Python loops allowed
""",
    "README.md": """# TODO: title

TODO: explain the idea in a few sentences, with maths like $y = xW + b$.

## Worked example

TODO: a small example with its numbers.

## Your task

| | |
|---|---|
| **Signature** | `solve(x)` |
| **Inputs** | TODO: shapes and dtypes |
| **Returns** | TODO: shape and dtype |
| **Tolerance** | `rtol = 1e-6`, `atol = 1e-8` |
| **Forbidden** | TODO: or "nothing" |
""",
    "starter.py": '''def solve(x):
    """TODO: describe the contract."""
    raise NotImplementedError
''',
    "solution.py": """import numpy as np


def solve(x):
    # TODO: the reference solution (never shown to learners)
    return np.asarray(x, dtype=float) * 2
""",
    "cases.py": '''"""Cases for {slug}. Expected values come from solution.py, run in a sandbox."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case


def build_cases(rng):
    # TODO: visible cases teach; hidden cases catch the careless. Cover the edges.
    return [
        Case("small example", "solve", (np.array([1.0, 2.0]),), explain="TODO"),
        Case("hidden: random", "solve", (rng.standard_normal(5),), visible=False),
    ]


DIAGNOSES = [
    # TODO: one line per known mistake, e.g.
    dx.alternative("forgot-double", "You returned x unchanged: multiply by two.", lambda x: x),
]
''',
    "mistakes/forgot_double.py": """# expect: forgot-double
def solve(x):
    return x
""",
}


def scaffold(root: Path, slug: str) -> Path:
    """Create exercises/<slug>/ with commented templates that `check` explains."""
    from grader.exercise import SLUG

    if not SLUG.match(slug):
        raise ValueError(f"{slug!r} is not a valid slug: use lower-case words joined by '-'")
    folder = Path(root) / slug
    if folder.exists():
        raise FileExistsError(f"{folder} already exists")
    for name, text in SCAFFOLD.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text.format(slug=slug) if "{slug}" in text else text, encoding="utf-8")
    return folder
