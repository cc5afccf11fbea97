"""Submissions move queued -> running -> graded | error, in one service, guarded against double work."""

import pytest

from submissions.models import Submission
from submissions.services import (
    IllegalTransition,
    RateLimited,
    SubmissionBusy,
    SubmissionRejected,
    submission_create,
    submission_fail,
    submission_finish,
    submission_requeue,
    submission_start,
    submissions_regrade,
    submissions_sweep,
)
from tests.platform.conftest import graded

CODE = "def solve(x):\n    return x * 2\n"


def test_a_new_submission_is_queued_and_its_task_sent_only_after_commit(
    learner, catalogue, sent_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)
        assert sent_tasks == []
    for callback in callbacks:
        callback()

    assert submission.status == Submission.QUEUED and submission.queued_at is not None
    assert sent_tasks == [(str(submission.id), "cpu")]


def test_too_large_empty_or_binary_code_is_refused_with_a_clear_message(learner, catalogue, settings):
    settings.SUBMISSION_MAX_BYTES = 1024
    exercise = catalogue["sandbox-probe"]
    with pytest.raises(SubmissionRejected, match="limit is 1 KiB"):
        submission_create(user=learner, exercise=exercise, source="x" * 50_000)
    with pytest.raises(SubmissionRejected, match="empty"):
        submission_create(user=learner, exercise=exercise, source="   \n")
    with pytest.raises(SubmissionRejected, match="NUL"):
        submission_create(user=learner, exercise=exercise, source="a\x00b")
    assert Submission.objects.count() == 0


def test_the_rate_limit_says_how_long_to_wait(learner, catalogue, settings, sent_tasks):
    settings.SUBMISSION_RATE_LIMIT = "2/60"
    for _ in range(2):
        submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)
    with pytest.raises(RateLimited, match=r"wait \d+ s"):
        submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)


def test_a_second_worker_is_told_the_submission_is_busy(learner, catalogue, sent_tasks):
    submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)

    assert submission_start(submission_id=submission.id, worker="w1") is not None
    with pytest.raises(SubmissionBusy):
        submission_start(submission_id=submission.id, worker="w2")


def test_a_silent_worker_is_taken_over_and_its_late_result_ignored(learner, catalogue, sent_tasks):
    from django.utils import timezone

    submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)
    dead = submission_start(submission_id=submission.id, worker="w1")
    long_ago = timezone.now() - timezone.timedelta(minutes=5)
    Submission.objects.filter(id=submission.id).update(heartbeat_at=long_ago)

    again = submission_start(submission_id=submission.id, worker="w2")

    assert again.attempt == dead.attempt + 1
    assert submission_finish(submission_id=submission.id, attempt=dead.attempt, result={"score": 1}) is False
    assert submission_finish(submission_id=submission.id, attempt=again.attempt, result={"score": 10}) is True
    submission.refresh_from_db()
    assert submission.status == Submission.GRADED and submission.score == 10


def test_a_finished_submission_is_not_graded_twice(learner, catalogue, sent_tasks):
    submission = graded(submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE), score=10)
    assert submission_start(submission_id=submission.id, worker="late") is None


def test_an_infrastructure_failure_requeues_then_errors_blaming_us(learner, catalogue, sent_tasks):
    submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)
    claim = submission_start(submission_id=submission.id, worker="w1")

    assert submission_requeue(submission_id=submission.id, attempt=claim.attempt, reason="engine down")
    submission_fail(submission_id=submission.id, reason="engine down")

    submission.refresh_from_db()
    assert submission.status == Submission.ERROR
    assert "problem on our side" in submission.error_message and "does not count" in submission.error_message


def test_illegal_transitions_are_refused(learner, catalogue, sent_tasks):
    from submissions.services import _move

    submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)
    with pytest.raises(IllegalTransition):
        _move(submission, Submission.GRADED)


def test_regrading_requeues_on_the_low_priority_lane_and_keeps_history(learner, catalogue, sent_tasks):
    submission = graded(submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE), score=10)

    assert submissions_regrade(exercise=catalogue["sandbox-probe"]) == 1
    submission.refresh_from_db()
    assert submission.status == Submission.QUEUED and submission.lane == Submission.REGRADE

    claim = submission_start(submission_id=submission.id, worker="w")
    submission_finish(
        submission_id=submission.id, attempt=claim.attempt, result={"score": 5, "verdict": "wrong_answer"}
    )
    submission.refresh_from_db()
    assert submission.previous_results[-1]["score"] == 10 and submission.score == 5


def test_the_sweep_resends_forgotten_submissions(learner, catalogue, sent_tasks, settings):
    from django.utils import timezone

    submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)
    Submission.objects.filter(id=submission.id).update(queued_at=timezone.now() - timezone.timedelta(hours=1))
    sent_tasks.clear()

    counts = submissions_sweep(queued_after_s=60)

    assert counts["resent"] == 1 and sent_tasks == [(str(submission.id), "cpu")]


def test_the_sweep_requeues_submissions_whose_worker_died(learner, catalogue, sent_tasks, settings):
    from django.utils import timezone

    submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)
    submission_start(submission_id=submission.id, worker="dead")
    Submission.objects.filter(id=submission.id).update(heartbeat_at=timezone.now() - timezone.timedelta(hours=1))

    assert submissions_sweep(queued_after_s=3600)["requeued"] == 1
    submission.refresh_from_db()
    assert submission.status == Submission.QUEUED


def test_a_broker_that_is_down_loses_nothing(learner, catalogue, monkeypatch, django_capture_on_commit_callbacks):
    from submissions.tasks import grade_submission

    def refuse(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(grade_submission, "apply_async", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)

    assert Submission.objects.get(id=submission.id).status == Submission.QUEUED
