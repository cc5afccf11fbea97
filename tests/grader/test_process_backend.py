"""The local process backend: refused unless asked for by name, labelled unsafe when used."""

import pytest

from grader.backends import get_backend
from grader.backends.process_backend import ProcessBackend, ProcessBackendRefused
from grader.grading import grade


def test_it_refuses_to_run_unless_explicitly_enabled():
    with pytest.raises(ProcessBackendRefused, match="without a sandbox"):
        ProcessBackend()


def test_it_grades_with_the_same_harness_and_says_it_is_unsafe(probe_exercise, expected_store):
    result = grade(
        probe_exercise, "def solve(x):\n    return x * 2\n", backend=get_backend("process"), store=expected_store
    )

    document = result.to_results_json()
    assert result.verdict == "accepted"
    assert document["unsafe"] is True and document["output"].startswith("UNSAFE")


def test_wrong_answers_are_diagnosed_the_same_way(probe_exercise, expected_store):
    result = grade(
        probe_exercise, "def solve(x):\n    return x * 3\n", backend=get_backend("process"), store=expected_store
    )
    assert result.verdict == "wrong_answer" and result.score == 0
