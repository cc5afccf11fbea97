"""Identical code gets the same board time however many times it is sent: the median of its runs."""

import pytest

from leaderboards.board_time import normalised
from leaderboards.selectors import leaderboard
from submissions.services import submission_create
from tests.platform.conftest import graded

CODE = "def fast(x):\n    return x + 1.0\n"
SAME_CODE_REFORMATTED = "# my fast one\ndef fast(x):\n\n    return x  +  1.0\n"
OTHER_CODE = "def fast(x):\n    return 1.0 + x\n"


def submit(user, exercise, time_value, source=CODE):
    return graded(submission_create(user=user, exercise=exercise, source=source), score=10, time_value=time_value)


def test_three_runs_of_identical_code_rank_at_their_median_not_their_best(learner, catalogue, sent_tasks):
    exercise = catalogue["timing-probe"]
    for seconds in (0.033, 0.0275, 0.031):
        submit(learner, exercise, seconds)

    assert leaderboard(exercise=exercise)[0].time_value == pytest.approx(0.031)


def test_comments_and_spacing_do_not_make_a_new_program(learner, catalogue, sent_tasks):
    exercise = catalogue["timing-probe"]
    submit(learner, exercise, 0.033)
    submit(learner, exercise, 0.0275, SAME_CODE_REFORMATTED)
    submit(learner, exercise, 0.031)

    assert normalised(CODE) == normalised(SAME_CODE_REFORMATTED) != normalised(OTHER_CODE)
    assert leaderboard(exercise=exercise)[0].time_value == pytest.approx(0.031)


def test_a_different_program_keeps_its_own_time(learner, catalogue, sent_tasks):
    exercise = catalogue["timing-probe"]
    submit(learner, exercise, 0.033)
    submit(learner, exercise, 0.031)
    other = submit(learner, exercise, 0.020, OTHER_CODE)

    assert other.time_value == pytest.approx(0.020)
    assert leaderboard(exercise=exercise)[0].time_value == pytest.approx(0.020)


def test_each_run_keeps_its_own_measurement_in_its_result(learner, catalogue, sent_tasks):
    exercise = catalogue["timing-probe"]
    first = submit(learner, exercise, 0.033)
    submit(learner, exercise, 0.0275)

    first.refresh_from_db()
    assert first.time_value == pytest.approx((0.033 + 0.0275) / 2)
    assert [e["value"] for e in first.result["leaderboard"] if e["name"] == "time"] == [0.033]


def test_variants_of_one_program_farm_no_rank(learner, catalogue, sent_tasks):
    """Attack: the same code sent again with a different docstring each time is a new syntax tree, so a
    new program with its own one-run median, and the board took the best of those lucky draws (27.5 ms).
    Any no-op edit does it (a constant statement, a renamed variable): no normal form closes that. What
    does: runs of programs whose times lie within the measurement noise of the fastest are one pool."""
    exercise = catalogue["timing-probe"]
    for attempt, seconds in enumerate((0.033, 0.0275, 0.031, 0.034, 0.030)):
        submit(learner, exercise, seconds, f'"""attempt {attempt}"""\n{CODE}')

    assert leaderboard(exercise=exercise)[0].time_value == pytest.approx(0.031)


def test_a_faster_wrong_program_lends_no_time_to_a_right_one(learner, catalogue, sent_tasks):
    exercise = catalogue["timing-probe"]
    submit(learner, exercise, 0.031)
    for seconds in (0.026, 0.026, 0.026):
        graded(
            submission_create(user=learner, exercise=exercise, source=OTHER_CODE),
            score=5,
            time_value=seconds,
            verdict="wrong_answer",
        )

    assert leaderboard(exercise=exercise)[0].time_value == pytest.approx(0.031)
