"""No new programs: a runner cannot start another interpreter, however it asks (rank-from-singular-values).

Each attack in attacks/programs/ answers with the forbidden numpy.linalg.matrix_rank from a
fresh python3, which has none of the runner's guards: through _posixsubprocess.fork_exec
(no audit event: accepted 10/10 before the exec filter), os.posix_spawn, fork + os.execv,
and subprocess. The runner installs a seccomp filter before the learner's code runs that
refuses execve and execveat to it and to everything it forks (grader/harness/privileges.py),
so the kernel refuses all four. A fair grader never accepts one, and never blames itself.
"""

from __future__ import annotations

import pytest

from grader.exercise import load_exercise
from tests.conftest import ROOT
from tests.security.conftest import attack_params, expected_verdicts

pytestmark = [pytest.mark.docker, pytest.mark.security]


@pytest.fixture(scope="session")
def rank_exercise():
    return load_exercise(ROOT / "exercises" / "rank-from-singular-values")


def test_the_honest_rank_solution_is_accepted(hostile, rank_exercise):
    graded = hostile(rank_exercise, rank_exercise.solution, name="programs/reference-solution")

    assert graded.verdict == "accepted", graded.shown()[:2000]


@pytest.mark.parametrize("attack", attack_params("programs", {}))
def test_a_second_interpreter_cannot_answer_for_the_learner(attack, hostile, rank_exercise):
    graded = hostile(rank_exercise, attack)

    assert not graded.internal_error, graded.describe()
    assert graded.verdict in expected_verdicts(attack), f"{graded.describe()}\n{graded.shown()[:2000]}"
