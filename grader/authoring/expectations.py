"""What a check expects of a mistake file, and the fixed seeds every grading of a check uses.

A mistake file states on its first lines what it must be told:

    # expect: elementwise-product
    # expect: verdict=forbidden_call
"""

from __future__ import annotations

import re

from grader.backends import Backend
from grader.exercise import ExerciseFolder
from grader.grading import grade
from grader.reference import ExpectedStore
from grader.results import GradingResult

EXPECT = re.compile(r"^#\s*expect:\s*(?:verdict=(?P<verdict>[a-z_]+)|(?P<diagnosis>[a-z0-9-]+))\s*$", re.M)
# Every grading in a check uses the pool's first seed and one timed seed: the check is deterministic
# (the same cases on every run, so CI cannot flake on a draw) and pays for one reference run per
# exercise (and one of its timed cases); other seeds are covered by the soundness step.
CHECK_POOL = 0
CHECK_TIMED_SEED = 0


def parse_expectation(source: str) -> tuple[str, str] | None:
    """('diagnosis', id) or ('verdict', name) from a mistake file's header."""
    match = EXPECT.search(source)
    if not match:
        return None
    if match.group("verdict"):
        return "verdict", match.group("verdict")
    return "diagnosis", match.group("diagnosis")


def check_grade(exercise: ExerciseFolder, source: str, backend: Backend, store: ExpectedStore) -> GradingResult:
    """Grade ``source`` as a check does: through the sandbox, on the check's fixed seeds."""
    return grade(exercise, source, backend=backend, store=store, pool_index=CHECK_POOL, timed_seed=CHECK_TIMED_SEED)
