"""The one judge: a case's record and the reference's output in, a verdict out, no I/O."""

from __future__ import annotations

import numpy as np
import pytest

from grader import diagnosis
from grader.cases import Case
from grader.feedback import hidden_view
from grader.judge import judge_case, name_run_mistakes, tolerance
from grader.protocol import CallRecord, CaseRecord, ErrorRecord, RecordStatus
from grader.reference import Expected
from grader.results import CaseResult, CaseStatus

RULES = tolerance(Case("any", "f"))


def raised(type_name: str, family: tuple[str, ...] = (), lines: tuple[int, ...] = (3,)) -> CaseRecord:
    error = ErrorRecord(type_name, "message", False, lines, family)
    return CaseRecord(RecordStatus.RAISED, calls=(CallRecord(RecordStatus.RAISED, error=error),))


def returned(value) -> CaseRecord:
    return CaseRecord(RecordStatus.RETURNED, calls=(CallRecord(RecordStatus.RETURNED, value=value),))


EXPECTS_VALUE_ERROR = Case("bad shapes", "f", expect_error="ValueError")
REFERENCE_RAISED = Expected(RecordStatus.RAISED, error_type="ValueError", error_message="shapes")


def test_a_subclass_of_the_expected_exception_passes():
    record = raised("ShapeError", ("ValueError", "Exception", "BaseException"))

    judged = judge_case(EXPECTS_VALUE_ERROR, record, REFERENCE_RAISED, rules=RULES)

    assert judged.result.status == CaseStatus.PASSED


def test_an_exception_named_like_the_expected_one_but_not_derived_from_it_still_passes_by_name():
    # a report from a runner that sends no family: the name is all there is
    judged = judge_case(EXPECTS_VALUE_ERROR, raised("ValueError", ()), REFERENCE_RAISED, rules=RULES)

    assert judged.result.status == CaseStatus.PASSED


def test_an_exception_of_another_family_is_the_wrong_exception():
    judged = judge_case(
        EXPECTS_VALUE_ERROR, raised("KeyError", ("KeyError", "LookupError")), REFERENCE_RAISED, rules=RULES
    )

    assert judged.result.status == CaseStatus.FAILED and judged.result.reason == "wrong-exception"


def test_the_case_tolerance_wins_over_the_exercise_default():
    case = Case("loose", "f", rtol=1e-2)

    assert tolerance(case, rtol=1e-9, atol=0.0).rtol == 1e-2
    assert tolerance(Case("strict", "f"), rtol=1e-9, atol=0.0).rtol == 1e-9


def test_every_comparable_case_is_observed_passing_ones_included():
    expected = Expected(RecordStatus.RETURNED, value=np.ones(2))
    passing = judge_case(Case("a", "f"), returned(np.ones(2)), expected, rules=RULES)
    failing = judge_case(Case("b", "f"), returned(np.zeros(2)), expected, rules=RULES)
    crashed = judge_case(
        Case("c", "f"), CaseRecord(RecordStatus.ABORTED, cause="signal_SIGSEGV"), expected, rules=RULES
    )

    assert passing.observation is not None and passing.observation.mismatch is None
    assert failing.observation is not None and failing.observation.mismatch is not None
    assert crashed.observation is None


def test_the_mistakes_of_a_run_are_named_in_one_call_with_every_observation(monkeypatch):
    calls = []

    def name_mistakes(observations, diagnoses):
        calls.append([o.case.name for o in observations])
        return {"b": diagnoses[0]}

    monkeypatch.setattr("grader.judge.name_mistakes", name_mistakes)
    expected = Expected(RecordStatus.RETURNED, value=np.ones(2))
    judged = [
        judge_case(Case("a", "f"), returned(np.ones(2)), expected, rules=RULES),
        judge_case(Case("b", "f"), returned(np.zeros(2)), expected, rules=RULES),
    ]
    zeros = diagnosis.when("zeros", "You returned zeros.", lambda c, g, e, m: True)

    name_run_mistakes(judged, [zeros])

    assert calls == [["a", "b"]]
    assert judged[0].result.diagnosis is None
    assert judged[1].result.diagnosis == "zeros" and judged[1].result.diagnosis_message == "You returned zeros."


def hidden_error(exception: str, family: tuple[str, ...], lines: list[int]) -> CaseResult:
    return CaseResult(
        name="hidden: edge",
        visible=False,
        status=CaseStatus.ERROR,
        score=0.0,
        max_score=1.0,
        message=f"Your code raised {exception}: 'secret input 0.4137'",
        lines=lines,
        exception=exception,
        exception_family=family,
    )


def test_a_hidden_case_shows_no_line_number_at_all():
    shown = hidden_view(hidden_error("KeyError", ("KeyError", "LookupError"), [4137, 12]))

    assert shown.lines == [] and "line" not in shown.feedback() and "secret" not in shown.feedback()


@pytest.mark.parametrize(
    ("exception", "family", "words"),
    [
        ("ValueError", ("ValueError",), "a ValueError"),
        ("UnicodeDecodeError", ("UnicodeDecodeError", "UnicodeError", "ValueError"), "a ValueError"),
        ("ZeroDivisionError", ("ZeroDivisionError", "ArithmeticError"), "an arithmetic error"),
        ("IndexError", ("IndexError", "LookupError"), "an index or key error"),
        ("KeyError", ("KeyError", "LookupError"), "an index or key error"),
        ("TypeError", ("TypeError",), "a type error"),
        ("MemoryError", ("MemoryError",), "another exception"),
        ("Bit1011", ("Exception",), "another exception"),
        ("KeyError", ("Exception",), "another exception"),  # a class of the learner's named like a built-in
    ],
)
def test_a_hidden_case_names_an_exception_only_by_its_family(exception, family, words):
    shown = hidden_view(hidden_error(exception, family, [7]))

    assert shown.message == f"Your code raised {words}."
    assert shown.exception == "" and shown.exception_family == ()


def test_a_graded_run_asks_for_its_mistakes_once_with_every_comparable_case(monkeypatch, tmp_path):
    from grader.exercise import load_exercise
    from grader.reference import ExpectedStore
    from tests.conftest import FIXTURE_EXERCISES
    from tests.grader.test_golden import GOLDEN, graded_document

    calls = []
    real = diagnosis.name_mistakes

    def counting(observations, diagnoses):
        calls.append(sorted(o.case.name for o in observations))
        return real(observations, diagnoses)

    monkeypatch.setattr("grader.judge.name_mistakes", counting)
    exercise = load_exercise(FIXTURE_EXERCISES / "golden-probe")

    document = graded_document(GOLDEN / "wrong_answer_diagnosed", exercise, ExpectedStore(tmp_path))

    assert len(calls) == 1 and len(calls[0]) >= 3  # passing cases are observed too
    assert any(test["diagnosis"] for test in document["tests"])
