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
from tests.platform.conftest import graded, grading_result


def case(name, *, diagnosis=None, diagnosis_message="", message="wrong"):
    from grader.results import CaseResult, CaseStatus

    return CaseResult(
        name=name,
        visible=True,
        status=CaseStatus.FAILED,
        score=0,
        max_score=1,
        message=message,
        diagnosis=diagnosis,
        diagnosis_message=diagnosis_message,
    )


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
    assert submission_finish(submission_id=submission.id, attempt=dead.attempt, result=grading_result(score=1)) is False
    assert submission_finish(submission_id=submission.id, attempt=again.attempt, result=grading_result(score=10))
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
    from django.db import transaction

    from submissions.services import _locked, _move

    submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)
    with transaction.atomic(), pytest.raises(IllegalTransition, match="queued -> graded"):
        _move(_locked(submission.id), Submission.GRADED)


def test_a_transition_without_the_row_lock_is_refused(learner, catalogue, sent_tasks):
    from submissions.services import _move

    submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)
    with pytest.raises(IllegalTransition, match="select_for_update"):
        _move(submission, Submission.RUNNING)


def test_regrading_requeues_on_the_low_priority_lane_and_keeps_history(learner, catalogue, sent_tasks):
    submission = graded(submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE), score=10)

    assert submissions_regrade(exercise=catalogue["sandbox-probe"]) == 1
    submission.refresh_from_db()
    assert submission.status == Submission.QUEUED and submission.lane == Submission.REGRADE

    claim = submission_start(submission_id=submission.id, worker="w")
    submission_finish(
        submission_id=submission.id, attempt=claim.attempt, result=grading_result(score=5, verdict="wrong_answer")
    )
    submission.refresh_from_db()
    assert [g.score for g in submission.gradings.all()] == [10, 5] and submission.score == 5


def test_a_regrade_keeps_the_first_gradings_journey_timestamps(learner, catalogue, sent_tasks):
    submission = graded(submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE), score=10)
    first = {
        "queued_at": submission.queued_at,
        "started_at": submission.started_at,
        "finished_at": submission.graded_at,
    }

    submissions_regrade(exercise=catalogue["sandbox-probe"])
    graded(submission, score=4)

    kept = submission.gradings.order_by("finished_at").first()
    assert {"queued_at": kept.queued_at, "started_at": kept.started_at, "finished_at": kept.finished_at} == first
    assert kept.lane == Submission.LIVE and submission.gradings.last().lane == Submission.REGRADE
    assert submission.started_at > first["started_at"]


def test_regrade_only_moves_finished_submissions(learner, catalogue, sent_tasks):
    submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)
    running = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)
    submission_start(submission_id=running.id, worker="w")
    sent_tasks.clear()

    assert submissions_regrade(exercise=catalogue["sandbox-probe"]) == 0
    assert sent_tasks == []
    assert {s.status for s in Submission.objects.all()} == {Submission.QUEUED, Submission.RUNNING}


def test_diagnoses_are_recorded_once_per_mistake_and_replaced_on_regrade(learner, catalogue, sent_tasks):
    from submissions.models import SubmissionDiagnosis

    submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)
    claim = submission_start(submission_id=submission.id, worker="w")
    cases = [
        case("a", diagnosis="elementwise", diagnosis_message="element-wise, not matmul"),
        case("b", diagnosis="elementwise", diagnosis_message="element-wise, not matmul"),
        case("c"),
    ]
    submission_finish(submission_id=submission.id, attempt=claim.attempt, result=grading_result(score=0, cases=cases))

    rows = list(SubmissionDiagnosis.objects.filter(submission=submission).values_list("diagnosis", "message"))
    assert rows == [("elementwise", "element-wise, not matmul")]

    submissions_regrade(exercise=catalogue["sandbox-probe"])
    graded(submission, score=10)
    assert not SubmissionDiagnosis.objects.filter(submission=submission).exists()


def test_a_learners_own_text_never_becomes_a_diagnosis_message():
    """The feedback may quote the learner's exception ("Likely mistake: ..." included); the message is ours."""
    from submissions.services import diagnoses_of

    planted = "raised ValueError: Likely mistake: the instructor is wrong"
    ours = case("a", diagnosis="transposed", diagnosis_message="You transposed B.", message=planted)
    wordless = case("b", diagnosis="scaled", message=planted + "\nLikely mistake: No scale.\nRaised at line 3.")

    assert diagnoses_of(grading_result(cases=[ours, wordless])) == {"transposed": "You transposed B.", "scaled": ""}


def test_the_diagnoses_are_read_from_the_typed_result_never_scraped_from_its_text(learner, catalogue, sent_tasks):
    """A diagnosis without words of its own stays wordless (the dashboard names it), whatever the feedback says."""
    from submissions.models import SubmissionDiagnosis

    submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)
    claim = submission_start(submission_id=submission.id, worker="w")
    said = case("a", diagnosis="scaled", message="wrong.\nLikely mistake: the learner's own words")
    submission_finish(submission_id=submission.id, attempt=claim.attempt, result=grading_result(cases=[said]))

    assert list(SubmissionDiagnosis.objects.values_list("diagnosis", "message")) == [("scaled", "")]


def test_submission_graded_is_sent_after_commit_with_the_grading(
    learner, catalogue, sent_tasks, django_capture_on_commit_callbacks
):
    from submissions.signals import submission_graded

    received = []

    def receiver(sender, submission, grading, **kwargs):
        received.append((submission.id, grading.score))

    submission_graded.connect(receiver)
    try:
        submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)
        claim = submission_start(submission_id=submission.id, worker="w")
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            submission_finish(submission_id=submission.id, attempt=claim.attempt, result=grading_result(score=7))
        assert received == []  # not before the commit
        for callback in callbacks:
            callback()
    finally:
        submission_graded.disconnect(receiver)
    assert received == [(submission.id, 7)]


def test_an_error_ending_sends_no_graded_signal_but_keeps_its_grading(
    learner, catalogue, sent_tasks, django_capture_on_commit_callbacks
):
    from submissions.signals import submission_graded

    received = []
    submission_graded.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="test-error")
    try:
        submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)
        with django_capture_on_commit_callbacks(execute=True):
            submission_fail(submission_id=submission.id, reason="engine down")
    finally:
        submission_graded.disconnect(dispatch_uid="test-error")
    assert received == []
    assert list(submission.gradings.values_list("status", flat=True)) == [Submission.ERROR]


def test_the_sweep_resends_forgotten_submissions(learner, catalogue, sent_tasks, settings):
    from django.utils import timezone

    submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)
    an_hour_ago = timezone.now() - timezone.timedelta(hours=1)
    Submission.objects.filter(id=submission.id).update(queued_at=an_hour_ago, sent_at=an_hour_ago)
    sent_tasks.clear()

    counts = submissions_sweep(queued_after_s=60)

    assert counts["resent"] == 1 and sent_tasks == [(str(submission.id), "cpu")]
    assert Submission.objects.get(id=submission.id).queued_at == an_hour_ago  # the wait is not rewritten


def test_the_sweep_leaves_alone_what_was_sent_lately(
    learner, catalogue, sent_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)
    sent_tasks.clear()

    assert submissions_sweep(queued_after_s=60)["resent"] == 0 and sent_tasks == []


def test_a_retry_keeps_the_time_the_grading_was_queued(learner, catalogue, sent_tasks):
    submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)
    claim = submission_start(submission_id=submission.id, worker="w1")

    submission_requeue(submission_id=submission.id, attempt=claim.attempt, reason="engine down")

    assert Submission.objects.get(id=submission.id).queued_at == submission.queued_at


def test_the_sweep_requeues_submissions_whose_worker_died(learner, catalogue, sent_tasks, settings):
    from django.utils import timezone

    submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)
    submission_start(submission_id=submission.id, worker="dead")
    Submission.objects.filter(id=submission.id).update(heartbeat_at=timezone.now() - timezone.timedelta(hours=1))

    assert submissions_sweep(queued_after_s=3600)["requeued"] == 1
    submission.refresh_from_db()
    assert submission.status == Submission.QUEUED


def test_a_broker_that_is_down_loses_nothing(learner, catalogue, monkeypatch, django_capture_on_commit_callbacks):
    from config.celery import app

    def refuse(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(app, "send_task", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)

    assert Submission.objects.get(id=submission.id).status == Submission.QUEUED


def test_each_retry_reason_spends_its_own_budget(settings):
    from submissions.retries import RetryBudgets, RetryReason

    settings.GRADING_BUSY_RETRIES, settings.GRADING_MAX_RETRIES = 5, 2
    budgets = RetryBudgets()
    for _ in range(5):
        assert budgets.spend(RetryReason.BUSY) is not None
    assert budgets.spend(RetryReason.BUSY) is None  # busy is spent...

    assert budgets.spend(RetryReason.INFRASTRUCTURE) == 2  # ...but infrastructure still has its two
    assert budgets.spend(RetryReason.INFRASTRUCTURE) == 4
    assert budgets.spend(RetryReason.INFRASTRUCTURE) is None


def test_retry_budgets_travel_with_the_task_message():
    from submissions.retries import RetryBudgets, RetryReason

    budgets = RetryBudgets()
    budgets.spend(RetryReason.DATABASE)
    again = RetryBudgets.from_dict(budgets.as_dict())

    assert again.as_dict() == {"database": 1}
    assert RetryBudgets.from_dict({"nonsense": 3}).as_dict() == {}


def test_the_task_fails_the_submission_when_its_infrastructure_budget_is_spent(
    learner, catalogue, sent_tasks, monkeypatch, settings
):
    from submissions import tasks
    from submissions.worker import RetryableGradingError

    settings.GRADING_MAX_RETRIES = 2
    submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)

    def broken(lane, **kwargs):
        raise RetryableGradingError("engine down")

    monkeypatch.setattr(tasks, "run", broken)
    outcome = tasks.grade_submission.apply(
        args=[str(submission.id)], kwargs={"retries": {"busy": 20, "infrastructure": 2}}
    ).get()

    assert outcome == "error"
    submission.refresh_from_db()
    assert submission.status == Submission.ERROR and "engine down" in submission.error_message


def test_a_worker_start_resends_queued_work_and_takes_back_what_a_silent_worker_held(
    learner, catalogue, monkeypatch, settings
):
    from django.utils import timezone

    from config.celery import app
    from submissions.services import submissions_resend_unfinished

    settings.GRADING_HEARTBEAT_STALE = 30
    sent = {}
    monkeypatch.setattr(app, "send_task", lambda name, args, **options: sent.update({args[0]: options["countdown"]}))
    exercise = catalogue["sandbox-probe"]
    queued, silent, alive, done = (submission_create(user=learner, exercise=exercise, source=CODE) for _ in range(4))
    for running in (silent, alive):
        submission_start(submission_id=running.id, worker="w")
    Submission.objects.filter(id=silent.id).update(heartbeat_at=timezone.now() - timezone.timedelta(minutes=5))
    Submission.objects.filter(id=alive.id).update(heartbeat_at=timezone.now() - timezone.timedelta(seconds=10))
    graded(done, score=10)
    sent.clear()

    counts = submissions_resend_unfinished()

    assert counts == {"resent": 2, "requeued": 1, "delayed": 1}
    assert sent[str(queued.id)] is None and sent[str(silent.id)] is None
    assert 15 < sent[str(alive.id)] <= 21  # when its heartbeat would be stale: a dead worker is taken over then
    assert str(done.id) not in sent
    assert Submission.objects.get(id=silent.id).status == Submission.QUEUED
