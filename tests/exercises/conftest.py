"""Grading an exercise's trusted files in this process, as the sandbox would grade them.

solution.py, mistakes/ and the variant files here are trusted code, so the tests run them
directly (grader.authoring.call_in_process: the same argument and value round trip as the
sandbox) and judge the whole run with the grader's own judge (grader.authoring.judge_in_process).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from grader.authoring import Outcome, call_in_process, cases_for_seed, importable, judge_in_process, load_module
from grader.exercise import ExerciseFolder, load_exercise

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = ROOT / "exercises"
VARIANTS = Path(__file__).resolve().parent / "variants"


@dataclass
class Graded:
    outcomes: list[Outcome]

    @property
    def accepted(self) -> bool:
        return all(o.passed for o in self.outcomes)

    @property
    def failing(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.passed]

    @property
    def first_failure(self) -> Outcome | None:
        return next(iter(self.failing), None)

    @property
    def diagnoses(self) -> set[str]:
        return {o.diagnosis for o in self.failing if o.diagnosis}

    def __repr__(self) -> str:  # what a failing assertion shows: each case in one line
        lines = [
            f"{'ok  ' if o.passed else 'FAIL'} {o.case.name}: {o.diagnosis or ''} {o.message}" for o in self.outcomes
        ]
        return "Graded(\n  " + "\n  ".join(lines) + "\n)"

    def outcome(self, case_name: str) -> Outcome:
        return next(o for o in self.outcomes if o.case.name == case_name)


def exercise(slug: str) -> ExerciseFolder:
    found = load_exercise(EXERCISES / slug)
    if not importable(found.modules):
        pytest.skip(f"{slug} needs {found.modules} in this process; it is proven through the sandbox instead")
    return found


def grade_here(slug: str, source: str | Path, tmp_path: Path, seed: int | None = None) -> Graded:
    """Grade a source text (or a file) on the exercise's shipped cases (or those of another seed)."""
    ex = exercise(slug)
    path = Path(source) if isinstance(source, Path) else tmp_path / "learner.py"
    if not isinstance(source, Path):
        path.write_text(source, encoding="utf-8")
    cases = ex.build_cases() if seed is None else cases_for_seed(ex, seed)
    cases = [c for c in cases if not c.is_timed]
    solution = load_module(ex.path / "solution.py")
    learner = load_module(path, f"tensordojo_learner_{path.stem}")
    reference = {c.name: call_in_process(solution, c) for c in cases}
    return Graded(judge_in_process(ex, cases, reference, {c.name: call_in_process(learner, c) for c in cases}))


@pytest.fixture
def grade(tmp_path):
    def run(slug: str, source: str | Path, seed: int | None = None) -> Graded:
        return grade_here(slug, source, tmp_path, seed)

    return run
