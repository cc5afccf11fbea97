"""Leaderboard times cannot be forged from inside the sandbox (vectorise-pairwise).

Each attack in attacks/timing/ tries to look faster than it is: a replacement
clock, every repetition computed in the untimed warm-up, a forged result frame on
the inherited pipe, results cached across repetitions, work deferred past the
clock. A fair grader rejects it or ranks it by the time it really took: never
faster than the exercise's own reference solution by an implausible factor.
"""

from __future__ import annotations

import pytest

from tests.security.conftest import ATTACKS, attack_params, expected_verdicts

pytestmark = [pytest.mark.docker, pytest.mark.security]

FORGED_TODAY: dict[str, str] = {}  # all four were ranked at ~0.15 ms at bb2a02e; none since time is taken outside
PLAUSIBLE_SPEEDUP = 4.0  # an honest rewrite of the reference's formula is not 4x faster on one core


def ranked_time(graded) -> float | None:
    board = {entry["name"]: entry["value"] for entry in graded.result.leaderboard}
    return board.get("time")


@pytest.fixture(scope="module")
def honest_time(hostile, pairwise_exercise) -> float:
    graded = hostile(pairwise_exercise, pairwise_exercise.solution, name="timing/reference-solution")
    assert graded.verdict == "accepted", graded.shown()
    value = ranked_time(graded)
    assert value and value > 0, graded.shown()
    return value


@pytest.mark.parametrize("attack", attack_params("timing", FORGED_TODAY))
def test_a_forged_time_is_rejected_or_ranked_by_the_real_time(attack, hostile, pairwise_exercise, honest_time):
    graded = hostile(pairwise_exercise, attack)

    assert not graded.internal_error, graded.describe()
    assert graded.verdict in expected_verdicts(attack), f"{graded.describe()}\n{graded.shown()[:3000]}"
    value = ranked_time(graded)
    if value is not None:
        assert value >= honest_time / PLAUSIBLE_SPEEDUP, (
            f"{graded.describe()}: ranked at {value * 1e3:.3f} ms, the reference solution takes "
            f"{honest_time * 1e3:.3f} ms"
        )


def test_answers_reused_across_repetitions_are_never_ranked(hostile, pairwise_exercise):
    graded = hostile(pairwise_exercise, ATTACKS / "timing" / "cached_results.py")

    assert graded.verdict == "wrong_answer", graded.shown()[:3000]
    assert ranked_time(graded) is None
