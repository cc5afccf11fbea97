"""Celery tasks: thin shells that take ids and call one service."""

from __future__ import annotations

import logging
import os
import socket

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from ops.logging import submission_context
from submissions import services
from submissions.grading import RetryableGradingError, grading_run

log = logging.getLogger("tensordojo.tasks")


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"  # per call: prefork children have their own pid


@shared_task(
    bind=True,
    name="submissions.grade",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,
    soft_time_limit=settings.GRADING_SOFT_TIME_LIMIT,
    time_limit=settings.GRADING_HARD_TIME_LIMIT,
)
def grade_submission(self, submission_id: str) -> str:
    with submission_context(submission_id):
        try:
            return grading_run(submission_id=submission_id, worker=worker_name())
        except services.SubmissionBusy as exc:
            # Another worker holds it and is alive; come back once a heartbeat would be overdue.
            raise self.retry(exc=exc, countdown=settings.GRADING_HEARTBEAT_STALE, max_retries=20) from exc
        except (OperationalError, InterfaceError) as exc:
            log.warning("database unavailable; retrying", extra={"submission_id": submission_id})
            raise self.retry(exc=exc, countdown=min(30, 2 ** (self.request.retries + 1)), max_retries=30) from exc
        except RetryableGradingError as exc:
            if self.request.retries >= settings.GRADING_MAX_RETRIES:
                services.submission_fail(submission_id=submission_id, reason=str(exc))
                return "error"
            countdown = min(60, 2 ** (self.request.retries + 1))
            log.warning("retrying in %ss", countdown, extra={"submission_id": submission_id})
            raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task(name="submissions.sweep")
def sweep() -> dict:
    """Periodic (beat): re-send lost submissions and remove sandboxes of dead workers."""
    counts = services.submissions_sweep()
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
