"""The submission state machine: every status change goes through `_move`, under a row lock.

    queued --start--> running --finish--> graded
       ^                 |  \\--fail----> error
       |--requeue--------/
       |--takeover (running, its worker silent) --> queued --start--> running
    graded | error --regrade--> queued

`_locked` loads the row with select_for_update inside the caller's transaction and
marks it; `_move` refuses a row that was not loaded that way and a move TRANSITIONS
does not allow. So two workers can never both grade one submission, and a stale
worker's late answer is ignored (its attempt number no longer matches). The grading
task is sent only after the row is committed. A finished grading is kept whole in a
Grading row; a re-grade starts a new journey and overwrites none.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from catalog.models import Exercise
from cohorts.grades_version import grades_changed
from cohorts.models import Cohort
from leaderboards.services import best_result_update
from ops.rate_limits import window_wait
from submissions import notify
from submissions.dispatch import send_grading
from submissions.models import Grading, Lane, Status, Submission, SubmissionDiagnosis
from submissions.signals import submission_graded

log = logging.getLogger("tensordojo.submissions")

TRANSITIONS: dict[Status, set[Status]] = {
    Status.QUEUED: {Status.RUNNING, Status.ERROR},
    Status.RUNNING: {Status.GRADED, Status.ERROR, Status.QUEUED},
    Status.GRADED: {Status.QUEUED},
    Status.ERROR: {Status.QUEUED},
}
_LOCKED = "_locked_for_update"  # set on a row loaded by _locked / _locked_many


class SubmissionRejected(Exception):
    """A submission refused before it was stored; the message is for the learner."""


class RateLimited(SubmissionRejected):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(f"Too many submissions: wait {retry_after} s before submitting again.")


class IllegalTransition(Exception):
    """A status change the state machine does not allow, or one attempted without the row lock."""


def _locked(submission_id) -> Submission:
    """The row, locked until the end of the caller's transaction (which must be open)."""
    # of=self: lock the submission's row only, never the exercise row every grading of it joins.
    submission = Submission.objects.select_for_update(of=("self",)).select_related("exercise").get(id=submission_id)
    setattr(submission, _LOCKED, True)
    return submission


def _locked_many(ids, statuses) -> list[Submission]:
    rows = list(Submission.objects.select_for_update().filter(id__in=ids, status__in=statuses).order_by("id"))
    for row in rows:
        setattr(row, _LOCKED, True)
    return rows


def _move(submission: Submission, to: Status) -> None:
    """The one transition function: checks the lock and the state machine, then sets the status."""
    if not getattr(submission, _LOCKED, False) or not transaction.get_connection().in_atomic_block:
        raise IllegalTransition(f"{submission.id}: a transition needs the row locked (select_for_update)")
    if to not in TRANSITIONS[Status(submission.status)]:
        raise IllegalTransition(f"{submission.id}: {submission.status} -> {to}")
    submission.status = to


def _rate_limit(user_id: int) -> None:
    wait = window_wait(name="submit", rate=settings.SUBMISSION_RATE_LIMIT, user_id=user_id)
    if wait is not None:
        raise RateLimited(retry_after=wait)


def submission_create(*, user, exercise: Exercise, source: str, cohort: Cohort | None = None) -> Submission:
    """Store a learner's code and queue it for grading."""
    if not isinstance(source, str):
        raise SubmissionRejected("The submission must be text.")
    size = len(source.encode("utf-8", errors="replace"))
    if size > settings.SUBMISSION_MAX_BYTES:
        raise SubmissionRejected(
            f"Your code is {size // 1024} KiB; the limit is {settings.SUBMISSION_MAX_BYTES // 1024} KiB."
        )
    if not source.strip():
        raise SubmissionRejected("The submission is empty.")
    if "\x00" in source:
        raise SubmissionRejected("The submission contains a NUL byte; paste it as plain text.")
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
    """Send the grading task. A broker that is down loses nothing: the sweep re-sends."""
    queue = queue_for(submission)
    try:
        send_grading(str(submission.id), queue=queue, countdown=countdown)
    except Exception as exc:  # kombu raises several types when the broker is unreachable
        log.warning(
            "enqueue failed; the sweep will retry", extra={"submission_id": str(submission.id), "error": str(exc)[:200]}
        )
        return False
    # Bookkeeping for the sweep only (no status change): queued_at stays the honest start of the wait.
    Submission.objects.filter(id=submission.id, status=Status.QUEUED).update(sent_at=timezone.now())
    log.info("submission enqueued", extra={"submission_id": str(submission.id), "queue": queue})
    return True


@dataclass
class Claim:
    submission: Submission
    attempt: int


class SubmissionBusy(Exception):
    """Another worker is grading it and still alive: try again later (it may be a duplicate message)."""


def _worker_alive(submission: Submission) -> bool:
    last = submission.heartbeat_at or submission.started_at
    return bool(last) and (timezone.now() - last).total_seconds() < settings.GRADING_HEARTBEAT_STALE


def submission_start(*, submission_id, worker: str) -> Claim | None:
    """queued -> running. None when it is already finished; SubmissionBusy while a live worker has it.

    A running submission whose worker stopped beating (killed, machine lost) is taken over:
    running -> queued -> running, both moves through the state machine.
    """
    with transaction.atomic():
        submission = _locked(submission_id)
        if submission.status == Status.RUNNING:
            if _worker_alive(submission):
                raise SubmissionBusy(str(submission_id))
            log.warning(
                "taking over from a silent worker",
                extra={"submission_id": str(submission_id), "previous_worker": submission.worker},
            )
            _move(submission, Status.QUEUED)
        if submission.status != Status.QUEUED:
            return None
        _move(submission, Status.RUNNING)
        submission.attempts += 1
        submission.worker = worker[:200]
        submission.started_at = submission.heartbeat_at = timezone.now()
        submission.sandbox_started_at = submission.sandbox_finished_at = None
        submission.save(
            update_fields=[
                "status",
                "attempts",
                "worker",
                "started_at",
                "heartbeat_at",
                "sandbox_started_at",
                "sandbox_finished_at",
            ]
        )
    log.info("grading started", extra={"submission_id": str(submission_id), "attempt": submission.attempts})
    return Claim(submission, submission.attempts)


def submission_heartbeat(*, submission_id, attempt: int) -> None:
    """A sign of life of the worker holding this attempt (no status change)."""
    Submission.objects.filter(id=submission_id, attempts=attempt, status=Status.RUNNING).update(
        heartbeat_at=timezone.now()
    )


def submission_mark_sandbox(*, submission_id, attempt: int, started_at, finished_at) -> None:
    """Record when this attempt's sandbox ran (no status change)."""
    Submission.objects.filter(id=submission_id, attempts=attempt, status=Status.RUNNING).update(
        sandbox_started_at=started_at, sandbox_finished_at=finished_at
    )


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


def diagnoses_of(result: dict) -> dict[str, str]:
    """The distinct diagnoses a results.json names, with their messages, in case order."""
    found: dict[str, str] = {}
    for test in result.get("tests") or []:
        if not isinstance(test, dict) or not test.get("diagnosis"):
            continue
        message = test.get("diagnosis_message")
        if not isinstance(message, str):  # results stored before the field existed: ours is the last one
            _, marker, after = (test.get("output") or "").rpartition("Likely mistake: ")
            message = after.split("\nRaised at line")[0] if marker else ""
        message = message.strip()[:1000]
        found.setdefault(str(test["diagnosis"])[:100], message)
    return found


def _replace_diagnoses(submission: Submission) -> None:
    SubmissionDiagnosis.objects.filter(submission=submission).delete()
    SubmissionDiagnosis.objects.bulk_create(
        SubmissionDiagnosis(submission=submission, diagnosis=diagnosis, message=message)
        for diagnosis, message in diagnoses_of(submission.result or {}).items()
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


def submission_finish(*, submission_id, attempt: int, result: dict, exercise_version_id=None) -> bool:
    """running -> graded, with the results.json document. False if this attempt is stale."""
    with transaction.atomic():
        submission = _locked(submission_id)
        if submission.status != Status.RUNNING or submission.attempts != attempt:
            log.warning("stale result ignored", extra={"submission_id": str(submission_id), "attempt": attempt})
            return False
        _move(submission, Status.GRADED)
        submission.result = result
        submission.verdict = result.get("verdict", "")
        submission.score = result.get("score")
        submission.max_score = result.get("max_score")
        board = {entry["name"]: entry["value"] for entry in result.get("leaderboard", [])}
        submission.time_value = board.get("time")
        submission.error_message = ""
        submission.graded_at = timezone.now()
        if exercise_version_id:
            submission.exercise_version_id = exercise_version_id
        submission.save()
        grading = _record_grading(submission)
        _replace_diagnoses(submission)
        best_result_update(submission=submission)
        grades_changed(user_ids=[submission.user_id], exercise_ids=[submission.exercise_id])  # last: see its module
        _announce_graded(submission, grading)
    log.info(
        "graded", extra={"submission_id": str(submission_id), "verdict": submission.verdict, "score": submission.score}
    )
    return True


def submission_requeue(*, submission_id, attempt: int | None, reason: str) -> bool:
    """running -> queued after an infrastructure failure (the task retries)."""
    with transaction.atomic():
        submission = _locked(submission_id)
        if submission.status != Status.RUNNING or (attempt is not None and submission.attempts != attempt):
            return False
        _move(submission, Status.QUEUED)
        submission.error_message = reason[:2000]  # queued_at stays: the queue time is the grading's whole wait
        submission.save(update_fields=["status", "error_message"])
    log.warning("requeued", extra={"submission_id": str(submission_id), "reason": reason[:200]})
    return True


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
            rows = _locked_many(ids[batch_start : batch_start + 500], finished)
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
    if queued_after_s is None:
        queued_after_s = settings.GRADING_STUCK_AFTER
    now = timezone.now()
    counts = {"requeued": 0, "resent": 0, "failed": 0}
    silent = now - timezone.timedelta(seconds=settings.GRADING_HEARTBEAT_STALE)
    stuck_running = (
        Submission.objects.filter(status=Status.RUNNING)
        .filter(Q(heartbeat_at__lt=silent) | Q(heartbeat_at__isnull=True, started_at__lt=silent))
        .values_list("id", "attempts")
    )
    for submission_id, attempts in stuck_running:
        if attempts >= settings.GRADING_MAX_RETRIES:
            counts["failed"] += submission_fail(
                submission_id=submission_id, reason="the grading worker stopped responding repeatedly"
            )
        elif submission_requeue(submission_id=submission_id, attempt=attempts, reason="worker lost"):
            counts["requeued"] += 1
            # Its message may be held unacknowledged by the dead worker until the visibility timeout.
            enqueue(Submission.objects.select_related("exercise").get(id=submission_id))
    not_sent_lately = Q(sent_at__isnull=True) | Q(sent_at__lt=now - timezone.timedelta(seconds=queued_after_s))
    stale_queued = Submission.objects.filter(not_sent_lately, status=Status.QUEUED).select_related("exercise")
    for submission in stale_queued[:1000]:
        counts["resent"] += enqueue(submission)
    return counts


def submissions_resend_unfinished(*, limit: int = 10_000) -> dict:
    """Re-send what the broker may have lost, when a worker has just started.

    After a crash the queue may be gone (a broker restarted without its data) and the
    messages a killed worker held stay invisible until the broker's visibility timeout.
    So every queued submission is sent again, and every running one whose worker is
    silent is put back and sent again. A running one whose heartbeat is still fresh is
    sent with a delay that ends when the heartbeat would be stale: if its worker is dead,
    that delivery takes over; if alive, it answers busy and the duplicate is skipped.
    The claim is exactly-once, so a duplicate message costs a lookup, never a second grading.
    """
    now = timezone.now()
    counts = {"resent": 0, "requeued": 0, "delayed": 0}
    for submission in Submission.objects.filter(status=Status.QUEUED).select_related("exercise")[:limit]:
        counts["resent"] += enqueue(submission)
    running = Submission.objects.filter(status=Status.RUNNING).select_related("exercise")[:limit]
    for submission in running:
        last = submission.heartbeat_at or submission.started_at or now
        stale_in = settings.GRADING_HEARTBEAT_STALE - (now - last).total_seconds()
        if stale_in <= 0:
            if submission_requeue(submission_id=submission.id, attempt=submission.attempts, reason="worker lost"):
                counts["requeued"] += 1
                counts["resent"] += enqueue(submission)
        else:
            counts["delayed"] += enqueue(submission, countdown=stale_in + 1)
    log.info("unfinished submissions re-sent after a worker start", extra=counts)
    return counts
