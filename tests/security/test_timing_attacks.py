"""Attacks on performance ranking: answers cached between runs, forged timers.

Seen in the wild: gpu-mode/pygpubench#49 (state persisting between timed runs
rewarded a submission that did not recompute). Every timed repetition gets fresh
inputs and its output is re-checked outside; a clock the learner can touch is
either not the one that counts or its timings are rejected as physically impossible.
"""

from __future__ import annotations

import pytest

from grader.grading import grade

pytestmark = [pytest.mark.docker, pytest.mark.security]

HONEST = "def fast(x):\n    return x + 1.0\n"
CACHED = (
    "CACHE = {}\n"
    "def fast(x):\n"
    "    if 'answer' not in CACHE:\n"
    "        CACHE['answer'] = x + 1.0\n"
    "    return CACHE['answer']\n"
)
FORGED_CLOCK = "import time\ntime.perf_counter_ns = lambda: 0\ndef fast(x):\n    return x + 1.0\n"


def test_an_honest_submission_is_ranked_by_its_time(docker_backend, timing_exercise, expected_store):
    result = grade(timing_exercise, HONEST, backend=docker_backend, store=expected_store)

    assert result.verdict == "accepted"
    board = {entry["name"]: entry["value"] for entry in result.leaderboard}
    assert board["time"] > 0 and "reference_time" in result.extra


def test_answers_cached_across_repetitions_fail(docker_backend, timing_exercise, expected_store):
    result = grade(timing_exercise, CACHED, backend=docker_backend, store=expected_store)

    assert result.verdict == "wrong_answer"
    assert not any(entry["name"] == "time" for entry in result.leaderboard)


def test_a_forged_clock_is_rejected_or_ranked_by_the_real_time(docker_backend, timing_exercise, expected_store):
    honest = grade(timing_exercise, HONEST, backend=docker_backend, store=expected_store)
    forged = grade(timing_exercise, FORGED_CLOCK, backend=docker_backend, store=expected_store)

    honest_time = {entry["name"]: entry["value"] for entry in honest.leaderboard}["time"]
    forged_time = {entry["name"]: entry["value"] for entry in forged.leaderboard}.get("time")
    timed = next(case for case in forged.cases if case.name == "timed")
    if forged_time is None:
        assert timed.status == "failed" and "Rejected timing" in timed.message
    else:  # the clock that counts is outside the learner's process: a frozen perf_counter_ns changes nothing
        assert forged_time >= honest_time / 4, (forged_time, honest_time)
