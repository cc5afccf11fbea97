"""The local process backend: refused unless asked for, labelled unsafe when used."""

import pytest

from grader.backends import get_backend
from grader.backends.process_backend import ProcessBackendRefused
from grader.grading import grade


def test_it_refuses_to_run_unless_explicitly_enabled(monkeypatch):
    monkeypatch.delenv("GRADER_BACKEND", raising=False)
    with pytest.raises(ProcessBackendRefused, match="without a sandbox"):
        get_backend("process")


def test_it_grades_with_the_same_harness_and_says_it_is_unsafe(monkeypatch, probe_exercise, expected_store):
    monkeypatch.setenv("GRADER_BACKEND", "process")
    result = grade(probe_exercise, "def solve(x):\n    return x * 2\n", store=expected_store)

    document = result.to_results_json()
    assert result.verdict == "accepted"
    assert document["unsafe"] is True and document["output"].startswith("UNSAFE")


def test_wrong_answers_are_diagnosed_the_same_way(monkeypatch, probe_exercise, expected_store):
    monkeypatch.setenv("GRADER_BACKEND", "process")
    result = grade(probe_exercise, "def solve(x):\n    return x * 3\n", store=expected_store)
    assert result.verdict == "wrong_answer" and result.score == 0
