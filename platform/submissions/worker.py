"""What a worker does with one stored submission: claim it, run the grader, record the verdict.

The same grader function (grader.grading.grade) is behind `manage.py grade`;
this service adds the state machine around it. The Celery task calls it.
(Named worker, not grading: grader/grading.py is the grader itself.)
"""

from __future__ import annotations

import logging
import threading

from celery.signals import worker_process_init, worker_process_shutdown
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from catalog.services import version_folder
from catalog.versions import VersionUnavailable
from config.grader import sandbox_backend
from grader.backends import Backend, SandboxUnavailable
from grader.backends.pool import WarmPool, parse_sizes
from grader.grading import InternalGradingError, grade
from submissions import services

log = logging.getLogger("tensordojo.grading")


_pool: WarmPool | None = None  # this worker process's warm pool (one per prefork child)


def worker_backend() -> Backend:
    """The backend gradings use in this process: its warm pool when one runs, else a fresh cold backend."""
    return _pool if _pool is not None else sandbox_backend()


@worker_process_init.connect
def start_pool(**kwargs) -> WarmPool | None:
    """In each worker process after the fork: pre-start sandboxes (settings.SANDBOX_POOL), Docker only.

    The backend is built here, in the child, so no Docker client crosses the fork.
    """
    global _pool
    sizes = parse_sizes(settings.SANDBOX_POOL)
    if settings.GRADER_BACKEND != "docker" or not any(sizes.values()):
        return None
    _pool = WarmPool(
        sandbox_backend(), sizes, max_age_s=settings.SANDBOX_POOL_MAX_AGE, idle_s=settings.SANDBOX_POOL_IDLE
    )
    return _pool


@worker_process_shutdown.connect
def stop_pool(**kwargs) -> None:
    """Destroy the sandboxes still waiting in this process's pool."""
    global _pool
    pool, _pool = _pool, None
    if pool is not None:
        pool.stop()


class RetryableGradingError(Exception):
    """Infrastructure failed; the submission was put back in the queue for a retry."""


class Heartbeat:
    """Marks the submission alive every few seconds while it is being graded."""

    def __init__(self, submission_id, attempt: int):
        self.submission_id, self.attempt = submission_id, attempt
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"heartbeat-{submission_id}", daemon=True)

    def _run(self) -> None:
        try:
            while not self.stop.wait(settings.GRADING_HEARTBEAT):
                try:
                    services.submission_heartbeat(submission_id=self.submission_id, attempt=self.attempt)
                except DatabaseError:
                    log.warning("heartbeat failed", extra={"submission_id": str(self.submission_id)})
        finally:
            connection.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=5)


def grading_run(*, submission_id, worker: str, backend=None) -> str:
    """Grade one submission. Returns what happened: graded | skipped.

    Raises RetryableGradingError after putting the submission back to queued
    when our side failed (engine down, image missing, broken report), and
    services.SubmissionBusy while another live worker grades it.
    """
    claim = services.submission_start(submission_id=submission_id, worker=worker)
    if claim is None:
        return "skipped"
    with Heartbeat(claim.submission.id, claim.attempt):
        try:
            return _grade_claimed(claim, backend)
        except RetryableGradingError:
            raise
        except Exception as exc:  # e.g. recording the result failed: put it back rather than leave it running
            log.exception("grading failed after the claim", extra={"submission_id": str(submission_id)})
            services.submission_requeue(
                submission_id=submission_id, attempt=claim.attempt, reason=f"{type(exc).__name__}: {exc}"
            )
            raise RetryableGradingError(f"{type(exc).__name__}: {exc}") from exc


def _grade_claimed(claim, backend) -> str:
    submission = claim.submission
    try:
        folder = version_folder(submission.exercise_version)  # exactly the version named, never another
        sandbox_started = timezone.now()
        result = grade(folder, submission.source, backend=backend or worker_backend())
        services.submission_mark_sandbox(
            submission_id=submission.id, attempt=claim.attempt, started_at=sandbox_started, finished_at=timezone.now()
        )
    except (SandboxUnavailable, InternalGradingError, VersionUnavailable, OSError) as exc:
        reason = f"{type(exc).__name__}: {exc}"
        services.submission_requeue(submission_id=submission.id, attempt=claim.attempt, reason=reason)
        raise RetryableGradingError(reason) from exc
    except Exception as exc:  # an unexpected bug of ours: never blame the learner
        log.exception("grading crashed", extra={"submission_id": str(submission.id)})
        services.submission_requeue(
            submission_id=submission.id, attempt=claim.attempt, reason=f"{type(exc).__name__}: {exc}"
        )
        raise RetryableGradingError(str(exc)) from exc
    services.submission_finish(
        submission_id=submission.id,
        attempt=claim.attempt,
        result=result.to_results_json(),
    )
    return "graded"
