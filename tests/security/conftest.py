"""What the attack suites share: the backend, the target exercises, and one grading per attack.

Each hostile file is graded once per session (``hostile``), whichever test asks
first: the class tests check its verdict, the budget test checks that no grading
was an internal error or outlived its limit. A grading that raises is recorded
as an internal error (our code raising on learner input is a bug), except when
the sandbox itself is unavailable (infrastructure: the test errors out).

Development without the sandbox image: ``TENSORDOJO_ATTACK_BACKEND=process``
grades with the unsafe local backend. It is NOT a security boundary, so some
attacks behave differently there; the suite counts only under Docker.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader.backends.base import SandboxUnavailable
from grader.exercise import ExerciseFolder, load_exercise
from grader.grading import InternalGradingError, grade
from grader.results import GradingResult
from tests.conftest import ROOT

HERE = Path(__file__).parent
ATTACKS = HERE / "attacks"
GRACE_S = 10.0  # what a grading may take beyond the exercise's time limit: container start, imports, transfer
SAFE_UNSANDBOXED = {"leaks", "timing", "forbidden"}  # groups harmless to the host on the process backend
LEARNER_VERDICTS = {
    "accepted",
    "wrong_answer",
    "syntax_error",
    "import_error",
    "missing_entry_point",
    "runtime_error",
    "time_limit",
    "memory_limit",
    "output_limit",
    "forbidden_call",
    "too_large",
}


@dataclass
class Graded:
    """One hostile file graded: the result (None when grading raised), what went wrong, how long it took."""

    attack: str
    exercise: ExerciseFolder
    result: GradingResult | None
    error: str
    wall_s: float

    @property
    def internal_error(self) -> bool:
        return self.result is None or self.result.verdict == "internal_error"

    @property
    def verdict(self) -> str:
        return self.result.verdict if self.result is not None else f"raised: {self.error}"

    @property
    def over_budget(self) -> bool:
        return self.wall_s > self.exercise.limits.wall_s + GRACE_S

    def shown(self) -> str:
        """Everything a learner can see of the result, as one string (for searches and failure messages)."""
        if self.result is None:
            return self.error
        return json.dumps(self.result.to_results_json(), ensure_ascii=False, default=str)

    def describe(self) -> str:
        return f"{self.attack}: {self.verdict} in {self.wall_s:.1f} s (limit {self.exercise.limits.wall_s:g} s)"


def expected_verdicts(path: Path) -> set[str]:
    """The verdicts a fair grader may give: the docstring's first line, 'expect: a | b'."""
    match = re.search(r'^"""expect: ([a-z_ |]+?) *(?:"""|$)', path.read_text(), re.M)
    assert match, f"{path.name} must start with a docstring 'expect: <verdict> [| <verdict>...]'"
    verdicts = {v.strip() for v in match.group(1).split("|")}
    assert verdicts <= LEARNER_VERDICTS, f"{path.name}: unknown verdicts {verdicts - LEARNER_VERDICTS}"
    return verdicts


def attack_files(group: str) -> list[Path]:
    return sorted((ATTACKS / group).glob("*.py"))


@pytest.fixture(scope="session")
def sandbox_backend(request):
    """The Docker sandbox (skips locally, fails in CI without it); the process backend on request."""
    if os.environ.get("TENSORDOJO_ATTACK_BACKEND") == "process":
        from grader.backends.process_backend import ProcessBackend

        return ProcessBackend(allow=True)
    return request.getfixturevalue("docker_backend")


@pytest.fixture(scope="session")
def hostile_probe() -> ExerciseFolder:
    return load_exercise(HERE / "exercises" / "hostile-probe")


@pytest.fixture(scope="session")
def pairwise_exercise() -> ExerciseFolder:
    return load_exercise(ROOT / "exercises" / "vectorise-pairwise")


@pytest.fixture(scope="session")
def matmul_exercise() -> ExerciseFolder:
    return load_exercise(ROOT / "exercises" / "matmul-by-hand")


_GRADED: dict[tuple[str, str], Graded] = {}
# One pool seed for the whole batch, so that one reference run per exercise serves every grading and
# no grading's wall time includes a reference run (the seed-pool test grades without it).
FIXED_POOL = {"pool_index": 0} if "pool_index" in inspect.signature(grade).parameters else {}


@pytest.fixture(scope="session")
def hostile(sandbox_backend, expected_store):
    """hostile(exercise, path_or_source, name=None) -> Graded: each attack graded once per session."""

    def run(exercise: ExerciseFolder, attack: Path | str, name: str | None = None) -> Graded:
        source = attack.read_text() if isinstance(attack, Path) else attack
        label = name or (f"{attack.parent.name}/{attack.stem}" if isinstance(attack, Path) else "inline")
        key = (exercise.slug, source)
        if isinstance(attack, Path) and attack.parent.name not in SAFE_UNSANDBOXED and sandbox_backend.unsafe:
            pytest.skip("this attack signals or writes to every process it reaches: never on the unsafe local backend")
        if key not in _GRADED:
            _warm(exercise, sandbox_backend, expected_store)
            started = time.monotonic()
            result, error = None, ""
            try:
                result = grade(exercise, source, backend=sandbox_backend, store=expected_store, **FIXED_POOL)
            except SandboxUnavailable:
                raise
            except InternalGradingError as exc:
                error = f"InternalGradingError: {exc}"
            except Exception as exc:  # noqa: BLE001 - our code raising on learner input is the finding
                error = f"{type(exc).__name__}: {exc}"
            _GRADED[key] = Graded(label, exercise, result, error, time.monotonic() - started)
        return _GRADED[key]

    return run


_WARMED: set[str] = set()


def _warm(exercise: ExerciseFolder, backend, store) -> None:
    """Run the reference once before timing anything: a learner's grading is not charged for it."""
    if exercise.slug in _WARMED:
        return
    store.get(exercise, backend, *FIXED_POOL.values())
    _WARMED.add(exercise.slug)


def attack_params(group: str, open_gaps: dict[str, str]) -> list:
    """The group's attacks as test parameters; an attack still open is xfail(strict) with what still leaks.

    open_gaps maps an attack's file stem to the gap it still finds. A fix flips the
    test to XPASS, which fails (strict) until the entry is removed here.
    """
    params = []
    for path in attack_files(group):
        gap = open_gaps.get(path.stem)
        racy = bool(gap) and gap.startswith("racy: ")  # the gap shows on some runs only: strict would flip at random
        marks = [pytest.mark.xfail(strict=not racy, reason=f"open: {gap}")] if gap else []
        params.append(pytest.param(path, marks=marks, id=path.stem))
    unknown = set(open_gaps) - {p.stem for p in attack_files(group)}
    assert not unknown, f"open gaps name attacks that do not exist: {unknown}"
    return params
