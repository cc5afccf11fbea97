"""Celery tasks: thin shells that take ids and call one service."""

from __future__ import annotations

import logging
import os
import socket

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from ops.logging import submission_context
from submissions.dispatch import (
    GRADE_TASK,
    SWEEP_TASK,
    TIMED_STOCK_REFILL_PUBLISHED_TASK,
    TIMED_STOCK_REFILL_TASK,
)
from submissions.lanes import lane_named, sweep_all
from submissions.pipeline import Busy
from submissions.retries import RetryBudgets, RetryReason
from submissions.timed_stock import timed_stock_refill, timed_stock_refill_published
from submissions.worker import RetryableGradingError, run

log = logging.getLogger("tensordojo.tasks")


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"  # per call: prefork children have their own pid


@shared_task(bind=True, name=GRADE_TASK, max_retries=None)  # limits and acks: CELERY_* settings
def grade_submission(self, submission_id: str, retries: dict | None = None, lane: str | None = None) -> str:
    """Grade one row of ``lane`` (a submission, or a trial); each kind of failure retries on its own budget.

    The same task, claim, heartbeat, warm pool and retry budgets for both lanes (see submissions.retries).
    """
    work = lane_named(lane)
    budgets = RetryBudgets.from_dict(retries)
    with submission_context(submission_id):
        try:
            return run(work, job_id=submission_id, worker=worker_name())
        except Busy as exc:
            # Another worker holds it and is alive; come back once a heartbeat would be overdue.
            reason, error = RetryReason.BUSY, exc
        except (OperationalError, InterfaceError) as exc:
            log.warning("database unavailable; retrying", extra={"submission_id": submission_id})
            reason, error = RetryReason.DATABASE, exc
        except RetryableGradingError as exc:
            reason, error = RetryReason.INFRASTRUCTURE, exc
        countdown = budgets.spend(reason)
        if countdown is None:
            work.fail(job_id=submission_id, reason=f"{reason.label}: {error}")
            return "error"
        log.warning("retrying in %ss (%s)", countdown, reason.value, extra={"submission_id": submission_id})
        kwargs = {"retries": budgets.as_dict(), **({"lane": lane} if lane else {})}
        raise self.retry(exc=error, countdown=countdown, kwargs=kwargs)


@shared_task(name=SWEEP_TASK)
def sweep() -> dict:
    """Periodic (beat): re-send lost work of every lane and remove sandboxes of dead workers."""
    counts = sweep_all()
    try:
        from grader.backends.docker_backend import DockerBackend

        if settings.GRADER_BACKEND == "docker":
            backend = DockerBackend()
            removed = backend.remove_stale(older_than_s=5, only_dead_pids=True)  # creator on this host died
            removed += backend.remove_stale(older_than_s=settings.GRADING_HARD_TIME_LIMIT + 60)  # any host
            counts["containers_removed"] = len(removed)
    except Exception as exc:  # the engine may be down; the next sweep tries again
        log.warning("container sweep failed: %s", exc)
    log.info("sweep", extra=counts)
    return counts


@shared_task(name=TIMED_STOCK_REFILL_TASK)
def refill_timed_stock(version_id: int) -> int:
    """Top one exercise version's stock of prepared timed draws up to TIMED_STOCK_SIZE (maintenance queue)."""
    return timed_stock_refill(version_id=version_id)


@shared_task(name=TIMED_STOCK_REFILL_PUBLISHED_TASK)
def refill_published_timed_stocks() -> int:
    """Periodic (beat) and at a worker's start: a refill for every published exercise with timed cases."""
    return timed_stock_refill_published()
