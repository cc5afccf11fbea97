"""The submission state machine: every status change goes through `_move`, under a row lock.

    queued --start--> running --finish--> graded
       ^                 |  \\--fail----> error
       |--requeue--------/
       |--takeover (running, its worker silent) --> queued --start--> running
    graded | error --regrade--> queued

`_locked` loads the row with select_for_update inside the caller's transaction and
marks it; `_move` refuses a row that was not loaded that way and a move TRANSITIONS
does not allow (both written once, for every lane, in submissions.pipeline). So two
workers can never both grade one submission, and a stale worker's late answer is
ignored (its attempt number no longer matches). The grading
task is sent only after the row is committed. A finished grading is kept whole in a
Grading row; a re-grade starts a new journey and overwrites none.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from catalog.models import Exercise
from cohorts.grades_version import grades_changed
from cohorts.models import Cohort
from grader.results import GradingResult
from leaderboards.services import best_result_update
from ops.rate_limits import window_wait
from submissions import notify, pipeline
from submissions.dispatch import SUBMISSION_LANE
from submissions.intake import source_problem
from submissions.models import Grading, Lane, Status, Submission, SubmissionDiagnosis
from submissions.pipeline import Claim, IllegalTransition
from submissions.signals import submission_graded

__all__ = ["Claim", "IllegalTransition", "SubmissionBusy"]  # the pipeline's, under the names callers know

log = logging.getLogger("tensordojo.submissions")

TRANSITIONS: dict[Status, set[Status]] = {
    Status.QUEUED: {Status.RUNNING, Status.ERROR},
    Status.RUNNING: {Status.GRADED, Status.ERROR, Status.QUEUED},
    Status.GRADED: {Status.QUEUED},
    Status.ERROR: {Status.QUEUED},
}


class SubmissionRejected(Exception):
    """A submission refused before it was stored; the message is for the learner."""


class RateLimited(SubmissionRejected):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(f"Too many submissions: wait {retry_after} s before submitting again.")


SubmissionBusy = pipeline.Busy  # another live worker is grading it


def _locked(submission_id) -> Submission:
    """The row, locked until the end of the caller's transaction (which must be open)."""
    return pipeline.locked(LANE, submission_id)


def _move(submission: Submission, to: Status) -> None:
    """The one transition function (the pipeline's), with this lane's state machine."""
    pipeline.move(LANE, submission, to)


def _rate_limit(user_id: int) -> None:
    wait = window_wait(name="submit", rate=settings.SUBMISSION_RATE_LIMIT, user_id=user_id)
    if wait is not None:
        raise RateLimited(retry_after=wait)


def submission_create(*, user, exercise: Exercise, source: str, cohort: Cohort | None = None) -> Submission:
    """Store a learner's code and queue it for grading."""
    problem = source_problem(source)
    if problem is not None:
        raise SubmissionRejected(problem)
    if not exercise.is_active or exercise.current_version_id is None:
        raise SubmissionRejected("This exercise is not open for submissions.")
    if cohort is not None and not cohort.memberships.filter(user=user).exists():
        raise SubmissionRejected("You are not a member of that cohort.")
    _rate_limit(user.id)
    counts = _counts_somewhere(user, exercise)
    with transaction.atomic():
        now = timezone.now()
        submission = Submission.objects.create(
            user=user,
            exercise=exercise,
            exercise_version_id=exercise.current_version_id,
            cohort=cohort,
            source=source,
            status=Submission.QUEUED,
            counts=counts,
            created_at=now,
            queued_at=now,
        )
        transaction.on_commit(lambda: enqueue(submission))
    log.info("submission created", extra={"submission_id": str(submission.id), "exercise": exercise.slug})
    return submission


def _counts_somewhere(user, exercise: Exercise) -> bool:
    """False when the submission counts for none of the learner's cohorts that have the exercise (practice).

    The cohort counting rule lives in cohorts.selectors (one place); this only asks it.
    """
    from cohorts.selectors import counts_for_a_cohort_now

    return counts_for_a_cohort_now(user=user, exercise=exercise, when=timezone.now())


def queue_for(submission: Submission) -> str:
    if submission.exercise.gpu:
        return "gpu"
    return "regrade" if submission.lane == Submission.REGRADE else "cpu"


def enqueue(submission: Submission, *, countdown: float | None = None) -> bool:
    """Send the grading task. A broker that is down loses nothing: the sweep re-sends.

    Only sent_at (the sweep's bookkeeping) is written: queued_at stays the honest start of the wait.
    """
    return pipeline.enqueue(LANE, submission, countdown=countdown)


def submission_start(*, submission_id, worker: str) -> Claim | None:
    """queued -> running. None when it is already finished; SubmissionBusy while a live worker has it.

    A running submission whose worker stopped beating (killed, machine lost) is taken over
    (see pipeline.start).
    """
    return pipeline.start(LANE, job_id=submission_id, worker=worker)


def _record_grading(submission: Submission) -> Grading:
    """Keep the grading that just finished whole, journey timestamps included.

    An `error` ending has no verdict of its own (the submission still shows its last one).
    """
    graded = submission.status == Status.GRADED
    return Grading.objects.create(
        submission=submission,
        lane=submission.lane,
        status=submission.status,
        verdict=submission.verdict if graded else "",
        score=submission.score if graded else None,
        max_score=submission.max_score if graded else None,
        result=submission.result if graded else None,
        error_message=submission.error_message,
        attempt=submission.attempts,
        worker=submission.worker,
        queued_at=submission.queued_at,
        started_at=submission.started_at,
        sandbox_started_at=submission.sandbox_started_at,
        sandbox_finished_at=submission.sandbox_finished_at,
        finished_at=submission.graded_at,
    )


def diagnoses_of(result: GradingResult) -> dict[str, str]:
    """The distinct diagnoses the grading named, with the exercise's own words for each, in case order.

    Read from the typed cases, never out of a case's feedback text (which may quote the learner).
    """
    found: dict[str, str] = {}
    for case in result.cases:
        if case.diagnosis:
            found.setdefault(str(case.diagnosis)[:100], (case.diagnosis_message or "").strip()[:1000])
    return found


def _replace_diagnoses(submission: Submission, result: GradingResult) -> None:
    SubmissionDiagnosis.objects.filter(submission=submission).delete()
    SubmissionDiagnosis.objects.bulk_create(
        SubmissionDiagnosis(submission=submission, diagnosis=diagnosis, message=message)
        for diagnosis, message in diagnoses_of(result).items()
    )


def _announce_graded(submission: Submission, grading: Grading) -> None:
    """Send submission_graded once the transaction commits (grade passback listens)."""

    def send() -> None:
        notify.announce(submission.id)  # a page long-polling for this verdict
        for receiver, response in submission_graded.send_robust(
            sender=Submission, submission=submission, grading=grading
        ):
            if isinstance(response, Exception):
                log.error(
                    "a submission_graded receiver failed",
                    extra={"submission_id": str(submission.id), "receiver": repr(receiver), "error": str(response)},
                )

    transaction.on_commit(send)


_FINISH_FIELDS = [
    "status",
    "result",
    "verdict",
    "score",
    "max_score",
    "time_value",
    "error_message",
    "graded_at",
    "sandbox_started_at",
    "sandbox_finished_at",
]


def submission_finish(
    *,
    submission_id,
    attempt: int,
    result: GradingResult,
    sandbox_started_at=None,
    sandbox_finished_at=None,
) -> bool:
    """running -> graded with the grader's typed result, in one write of the row. False if this attempt is stale.

    The version graded is the one the submission names (the worker refuses any other): it is never rewritten.
    """
    with transaction.atomic():
        submission = _locked(submission_id)
        if submission.status != Status.RUNNING or submission.attempts != attempt:
            log.warning("stale result ignored", extra={"submission_id": str(submission_id), "attempt": attempt})
            return False
        _move(submission, Status.GRADED)
        submission.result = result.to_results_json()
        submission.verdict = str(result.verdict)
        submission.score = result.score
        submission.max_score = result.max_score
        board = {entry["name"]: entry["value"] for entry in result.leaderboard}
        submission.time_value = board.get("time")
        submission.error_message = ""
        submission.graded_at = timezone.now()
        submission.sandbox_started_at, submission.sandbox_finished_at = sandbox_started_at, sandbox_finished_at
        submission.save(update_fields=_FINISH_FIELDS)
        grading = _record_grading(submission)
        _replace_diagnoses(submission, result)
        best_result_update(submission=submission)
        grades_changed(user_ids=[submission.user_id], exercise_ids=[submission.exercise_id])  # last: see its module
        _announce_graded(submission, grading)
    log.info(
        "graded", extra={"submission_id": str(submission_id), "verdict": submission.verdict, "score": submission.score}
    )
    return True


def submission_requeue(*, submission_id, attempt: int | None, reason: str) -> bool:
    """running -> queued after an infrastructure failure (the task retries).

    queued_at stays: the queue time is the grading's whole wait.
    """
    return pipeline.requeue(LANE, job_id=submission_id, attempt=attempt, reason_field="error_message", reason=reason)


def submission_fail(*, submission_id, reason: str) -> bool:
    """-> error: our side failed for good. The message blames us, never the learner."""
    with transaction.atomic():
        submission = _locked(submission_id)
        if submission.status not in (Status.QUEUED, Status.RUNNING):
            return False
        _move(submission, Status.ERROR)
        submission.error_message = (
            "We could not grade this submission because of a problem on our side; it does not count "
            f"against you. Please resubmit later. (details: {reason[:500]})"
        )
        submission.graded_at = timezone.now()
        submission.save(update_fields=["status", "error_message", "graded_at"])
        _record_grading(submission)
        transaction.on_commit(lambda: notify.announce(submission_id))
    log.error("grading failed for good", extra={"submission_id": str(submission_id), "reason": reason[:200]})
    return True


# A new journey: the current grading's fields start empty (the finished one is in its Grading row).
_JOURNEY_RESET = {"started_at": None, "sandbox_started_at": None, "sandbox_finished_at": None, "graded_at": None}


def submissions_regrade(*, exercise: Exercise, user_ids: list[int] | None = None, only=None) -> int:
    """Queue finished submissions of an exercise (of some learners) again, on the low-priority lane.

    A re-grade is the instructor's explicit choice to grade them on the exercise's current
    version: each row is moved to it (its earlier gradings stay with theirs, in Grading rows).

    `only`: a queryset of submissions to restrict to (a cohort re-grades just what counts for it).
    Each row moves graded|error -> queued through the state machine, locked in batches.
    """
    finished = [Status.GRADED, Status.ERROR]
    query = Submission.objects.filter(exercise=exercise, status__in=finished)
    if user_ids is not None:
        query = query.filter(user_id__in=user_ids)
    if only is not None:
        query = query.filter(pk__in=only.values("pk"))
    ids = list(query.values_list("id", flat=True))
    queued = 0
    for batch_start in range(0, len(ids), 500):
        with transaction.atomic():
            now = timezone.now()
            rows = pipeline.locked_many(LANE, ids[batch_start : batch_start + 500], finished)
            for row in rows:
                _move(row, Status.QUEUED)
                row.lane, row.queued_at = Lane.REGRADE, now
                row.exercise_version_id = exercise.current_version_id
                for field, value in _JOURNEY_RESET.items():
                    setattr(row, field, value)
            Submission.objects.bulk_update(rows, ["status", "lane", "queued_at", "exercise_version", *_JOURNEY_RESET])
            # A graded row leaves the grade books until it is graded again.
            grades_changed(user_ids={row.user_id for row in rows}, exercise_ids=[exercise.id])
            queued += len(rows)
            transaction.on_commit(lambda rows=rows: [enqueue(s) for s in rows])
    return queued


def submissions_sweep(*, queued_after_s: int | None = None) -> dict:
    """Re-send what was lost: queued rows nobody picked up, running rows whose worker died."""
    return pipeline.sweep(LANE, queued_after_s=queued_after_s)


def submissions_resend_unfinished(*, limit: int = 10_000) -> dict:
    """Re-send what the broker may have lost, when a worker has just started (see pipeline.resend_unfinished)."""
    return pipeline.resend_unfinished(LANE, limit=limit)


def _finish_lane(*, job_id, **kwargs) -> bool:
    return submission_finish(submission_id=job_id, **kwargs)


def _requeue_lane(*, job_id, attempt, reason) -> bool:
    return submission_requeue(submission_id=job_id, attempt=attempt, reason=reason)


def _fail_lane(*, job_id, reason) -> bool:
    return submission_fail(submission_id=job_id, reason=reason)


LANE = pipeline.Lane(
    name=SUBMISSION_LANE,
    model=Submission,
    transitions={str(k): {str(v) for v in vs} for k, vs in TRANSITIONS.items()},
    queue_for=queue_for,
    finish=_finish_lane,
    requeue=_requeue_lane,
    fail=_fail_lane,
    reset_on_claim=("sandbox_started_at", "sandbox_finished_at"),
)
