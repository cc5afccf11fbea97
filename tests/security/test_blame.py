"""The learner's failure stays the learner's: never an internal error, never a run past its limit.

Each attack in attacks/blame/ turns on the harness itself: signals to PID 1 and the
parent, a death by a real-time signal, forged or malformed frames (NaN, a forged
harness error, unknown case ids, an .npy header declaring 256 GiB, a forged "done"
followed by a long sleep, a 4 GiB frame header), closed or swapped channels,
garbage on every descriptor, a full /tmp. A fair grader gives the learner's verdict
(runtime_error, time_limit, wrong_answer...), never internal_error, and the grading
ends within the exercise's time limit plus a small grace.
"""

from __future__ import annotations

import pytest

from tests.security.conftest import GRACE_S, attack_params, expected_verdicts

pytestmark = [pytest.mark.docker, pytest.mark.security]

OURS_TODAY = {  # attacks that still make the learner's failure an internal error
    "signal_pid1_and_parent": "SIGINT to PID 1 raises KeyboardInterrupt in the supervisor",
    "realtime_signal": "signal.Signals(40) raises ValueError in the supervisor",
    "nan_frame": "a NaN in a frame makes the supervisor's report unwritable (allow_nan=False)",
    "forged_harness_error": "a harness_error frame from the learner's side is trusted",
    "unknown_case_id": "a crash while an unknown case id is current raises in the supervisor",
    "huge_npy_header": "a declared 256 GiB .npy raises MemoryError in the worker",
    "racing_writer": "racy: a torn frame stream can yield a report the grader cannot read",
}
OVERRUN_TODAY = {
    "forged_done_then_sleep": "after a forged done frame the supervisor waits for the child without a deadline",
}


@pytest.mark.parametrize("attack", attack_params("blame", OURS_TODAY))
def test_an_attack_on_the_harness_is_never_an_internal_error(attack, hostile, hostile_probe):
    graded = hostile(hostile_probe, attack)

    assert not graded.internal_error, f"{graded.describe()}\n{graded.shown()[:2000]}"


@pytest.mark.parametrize("attack", attack_params("blame", OURS_TODAY))
def test_an_attack_on_the_harness_gets_the_learners_verdict(attack, hostile, hostile_probe):
    graded = hostile(hostile_probe, attack)

    assert graded.verdict in expected_verdicts(attack), f"{graded.describe()}\n{graded.shown()[:2000]}"


@pytest.mark.parametrize("attack", attack_params("blame", OVERRUN_TODAY))
def test_an_attack_on_the_harness_ends_within_limit_and_grace(attack, hostile, hostile_probe):
    graded = hostile(hostile_probe, attack)

    assert not graded.over_budget, f"{graded.describe()}: more than the limit + {GRACE_S:g} s"
