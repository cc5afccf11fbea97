"""The one pipeline learner code travels, whichever button sent it, and its two lanes.

    intake (submissions.intake) -> row queued -> dispatch (one task, submissions.grade)
    -> worker: claim -> heartbeat -> warm-pool sandbox -> finish | requeue (retry) | fail
    sweep (beat) and resend-on-worker-start cover lost messages and dead workers.

A lane says what differs: which table holds its rows, its queue, whether only the visible
cases run, and what finishing means. Submissions are graded, counted and ranked. Trials
(the Run button) run the visible cases only and never count or rank; their rows live in
trials.TrialRun, so no count, board, grade book or history query (all read Submission) can
see a trial by forgetting a filter. Everything else — the claim and its takeover of a
silent worker, the heartbeat, the retry budgets, the sweep, the resend after a worker
start — is written once, here and in submissions.worker / submissions.tasks.

Both tables share the pipeline's columns: status (queued/running/...), attempts, worker,
started_at, heartbeat_at, sent_at.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone

from submissions.dispatch import send_grading

log = logging.getLogger("tensordojo.pipeline")

QUEUED, RUNNING = "queued", "running"  # the same strings in both lanes' status enums
_LOCKED = "_locked_for_update"  # set on a row loaded by locked / locked_many


class IllegalTransition(Exception):
    """A status change the state machine does not allow, or one attempted without the row lock."""


class Busy(Exception):
    """Another worker is grading it and still alive: try again later (it may be a duplicate message)."""


@dataclass
class Claim:
    """One worker's hold on a queued row: ``attempt`` is the row's claim number."""

    job: Any  # a Submission or a TrialRun
    attempt: int


@dataclass(frozen=True)
class Lane:
    """What differs between the lanes of the one pipeline (see the module docstring)."""

    name: str  # travels in the task's kwargs
    model: type[Model]
    transitions: dict[str, set[str]]
    queue_for: Callable[[Any], str]
    finish: Callable[..., bool]  # (job_id=, attempt=, result=GradingResult, sandbox_started_at=, sandbox_finished_at=)
    requeue: Callable[..., bool]  # (job_id=, attempt=, reason=)
    fail: Callable[..., bool]  # (job_id=, reason=)
    visible_only: bool = False  # True: nothing hidden enters the sandbox
    reset_on_claim: tuple[str, ...] = field(default=())  # columns a new claim empties


def locked(lane: Lane, job_id) -> Any:
    """The row, locked until the end of the caller's transaction (which must be open)."""
    # of=self: lock the row only, never the exercise row every grading of it joins.
    row = lane.model.objects.select_for_update(of=("self",)).select_related("exercise").get(id=job_id)
    setattr(row, _LOCKED, True)
    return row


def locked_many(lane: Lane, ids, statuses) -> list:
    rows = list(lane.model.objects.select_for_update().filter(id__in=ids, status__in=statuses).order_by("id"))
    for row in rows:
        setattr(row, _LOCKED, True)
    return rows


def move(lane: Lane, row, to: str) -> None:
    """The one transition function: checks the lock and the lane's state machine, then sets the status."""
    if not getattr(row, _LOCKED, False) or not transaction.get_connection().in_atomic_block:
        raise IllegalTransition(f"{row.id}: a transition needs the row locked (select_for_update)")
    if to not in lane.transitions[str(row.status)]:
        raise IllegalTransition(f"{row.id}: {row.status} -> {to}")
    row.status = to


def worker_alive(row) -> bool:
    last = row.heartbeat_at or row.started_at
    return bool(last) and (timezone.now() - last).total_seconds() < settings.GRADING_HEARTBEAT_STALE


def start(lane: Lane, *, job_id, worker: str) -> Claim | None:
    """queued -> running. None when it is no longer queued (finished, superseded); Busy while a live worker has it.

    A running row whose worker stopped beating (killed, machine lost) is taken over:
    running -> queued -> running, both moves through the state machine.
    """
    with transaction.atomic():
        row = locked(lane, job_id)
        if row.status == RUNNING:
            if worker_alive(row):
                raise Busy(str(job_id))
            log.warning(
                "taking over from a silent worker",
                extra={"lane": lane.name, "job_id": str(job_id), "previous_worker": row.worker},
            )
            move(lane, row, QUEUED)
        if row.status != QUEUED:
            return None
        move(lane, row, RUNNING)
        row.attempts += 1
        row.worker = worker[:200]
        row.started_at = row.heartbeat_at = timezone.now()
        for column in lane.reset_on_claim:
            setattr(row, column, None)
        row.save(update_fields=["status", "attempts", "worker", "started_at", "heartbeat_at", *lane.reset_on_claim])
    log.info("claimed", extra={"lane": lane.name, "job_id": str(job_id), "attempt": row.attempts})
    return Claim(row, row.attempts)


def heartbeat(lane: Lane, *, job_id, attempt: int) -> None:
    """A sign of life of the worker holding this attempt (no status change)."""
    lane.model.objects.filter(id=job_id, attempts=attempt, status=RUNNING).update(heartbeat_at=timezone.now())


def requeue(lane: Lane, *, job_id, attempt: int | None, reason_field: str, reason: str) -> bool:
    """running -> queued after an infrastructure failure (the task retries). The reason goes in ``reason_field``."""
    with transaction.atomic():
        row = locked(lane, job_id)
        if row.status != RUNNING or (attempt is not None and row.attempts != attempt):
            return False
        move(lane, row, QUEUED)
        setattr(row, reason_field, reason[:2000])
        row.save(update_fields=["status", reason_field])
    log.warning("requeued", extra={"lane": lane.name, "job_id": str(job_id), "reason": reason[:200]})
    return True


def enqueue(lane: Lane, row, *, countdown: float | None = None) -> bool:
    """Send the task for one queued row. A broker that is down loses nothing: the sweep re-sends."""
    queue = lane.queue_for(row)
    try:
        send_grading(str(row.id), queue=queue, countdown=countdown, lane=lane.name)
    except Exception as exc:  # kombu raises several types when the broker is unreachable
        log.warning(
            "enqueue failed; the sweep will retry",
            extra={"lane": lane.name, "job_id": str(row.id), "error": str(exc)[:200]},
        )
        return False
    # Bookkeeping for the sweep only (no status change).
    lane.model.objects.filter(id=row.id, status=QUEUED).update(sent_at=timezone.now())
    log.info("enqueued", extra={"lane": lane.name, "job_id": str(row.id), "queue": queue})
    return True


def sweep(lane: Lane, *, queued_after_s: int | None = None) -> dict:
    """Re-send what was lost: queued rows nobody picked up, running rows whose worker died."""
    if queued_after_s is None:
        queued_after_s = settings.GRADING_STUCK_AFTER
    now = timezone.now()
    counts = {"requeued": 0, "resent": 0, "failed": 0}
    silent = now - timezone.timedelta(seconds=settings.GRADING_HEARTBEAT_STALE)
    stuck_running = (
        lane.model.objects.filter(status=RUNNING)
        .filter(Q(heartbeat_at__lt=silent) | Q(heartbeat_at__isnull=True, started_at__lt=silent))
        .values_list("id", "attempts")
    )
    for job_id, attempts in stuck_running:
        if attempts >= settings.GRADING_MAX_RETRIES:
            counts["failed"] += lane.fail(job_id=job_id, reason="the grading worker stopped responding repeatedly")
        elif lane.requeue(job_id=job_id, attempt=attempts, reason="worker lost"):
            counts["requeued"] += 1
            # Its message may be held unacknowledged by the dead worker until the visibility timeout.
            enqueue(lane, lane.model.objects.select_related("exercise").get(id=job_id))
    not_sent_lately = Q(sent_at__isnull=True) | Q(sent_at__lt=now - timezone.timedelta(seconds=queued_after_s))
    stale_queued = lane.model.objects.filter(not_sent_lately, status=QUEUED).select_related("exercise")
    for row in stale_queued[:1000]:
        counts["resent"] += enqueue(lane, row)
    return counts


def resend_unfinished(lane: Lane, *, limit: int = 10_000) -> dict:
    """Re-send what the broker may have lost, when a worker has just started.

    After a crash the queue may be gone (a broker restarted without its data) and the
    messages a killed worker held stay invisible until the broker's visibility timeout.
    So every queued row is sent again, and every running one whose worker is silent is
    put back and sent again. A running one whose heartbeat is still fresh is sent with a
    delay that ends when the heartbeat would be stale: if its worker is dead, that
    delivery takes over; if alive, it answers busy and the duplicate is skipped. The claim
    is exactly-once, so a duplicate message costs a lookup, never a second run.
    """
    now = timezone.now()
    counts = {"resent": 0, "requeued": 0, "delayed": 0}
    for row in lane.model.objects.filter(status=QUEUED).select_related("exercise")[:limit]:
        counts["resent"] += enqueue(lane, row)
    for row in lane.model.objects.filter(status=RUNNING).select_related("exercise")[:limit]:
        last = row.heartbeat_at or row.started_at or now
        stale_in = settings.GRADING_HEARTBEAT_STALE - (now - last).total_seconds()
        if stale_in <= 0:
            if lane.requeue(job_id=row.id, attempt=row.attempts, reason="worker lost"):
                counts["requeued"] += 1
                counts["resent"] += enqueue(lane, row)
        else:
            counts["delayed"] += enqueue(lane, row, countdown=stale_in + 1)
    log.info("unfinished work re-sent after a worker start", extra={"lane": lane.name, **counts})
    return counts
