"""What a worker does with one row of either lane: claim it, run the grader, record the result.

The same grader function (grader.grading.grade) is behind `manage.py grade`;
this service adds the pipeline around it (submissions.pipeline): the claim, the
heartbeat, this process's warm pool, and a requeue when our side fails. The one
Celery task calls it for submissions and trials alike.
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
from grader.exercise_host_docker import close_hosts
from grader.grading import InternalGradingError, grade
from submissions import pipeline
from submissions.timed_stock import timed_stock_after_grading

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
    """Destroy the sandboxes still waiting in this process's pool, and its warm exercise hosts."""
    global _pool
    pool, _pool = _pool, None
    if pool is not None:
        pool.stop()
    close_hosts()  # a prefork child may end without running atexit


class RetryableGradingError(Exception):
    """Infrastructure failed; the row was put back in the queue for a retry."""


class Heartbeat:
    """Marks the row alive every few seconds while it is being graded."""

    def __init__(self, lane: pipeline.Lane, job_id, attempt: int):
        self.lane, self.job_id, self.attempt = lane, job_id, attempt
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"heartbeat-{job_id}", daemon=True)

    def _run(self) -> None:
        try:
            while not self.stop.wait(settings.GRADING_HEARTBEAT):
                try:
                    pipeline.heartbeat(self.lane, job_id=self.job_id, attempt=self.attempt)
                except DatabaseError:
                    log.warning("heartbeat failed", extra={"lane": self.lane.name, "job_id": str(self.job_id)})
        finally:
            connection.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=5)


def run(lane: pipeline.Lane, *, job_id, worker: str, backend=None) -> str:
    """Run one row of ``lane``. Returns what happened: graded | skipped.

    Raises RetryableGradingError after putting the row back to queued when our side
    failed (engine down, image missing, broken report, version not on this worker),
    and pipeline.Busy while another live worker has it.
    """
    claim = pipeline.start(lane, job_id=job_id, worker=worker)
    if claim is None:
        return "skipped"
    with Heartbeat(lane, claim.job.id, claim.attempt):
        try:
            return _grade_claimed(lane, claim, backend)
        except RetryableGradingError:
            raise
        except Exception as exc:  # e.g. recording the result failed: put it back rather than leave it running
            log.exception("grading failed after the claim", extra={"lane": lane.name, "job_id": str(job_id)})
            lane.requeue(job_id=job_id, attempt=claim.attempt, reason=f"{type(exc).__name__}: {exc}")
            raise RetryableGradingError(f"{type(exc).__name__}: {exc}") from exc


def _grade_claimed(lane: pipeline.Lane, claim: pipeline.Claim, backend) -> str:
    job = claim.job
    try:
        # Exactly the version the row names, or a retryable refusal: never a grade on another version.
        folder = version_folder(job.exercise_version)
        backend = backend or worker_backend()
        sandbox_started = timezone.now()
        result = grade(folder, job.source, backend=backend, visible_only=lane.visible_only)
        sandbox_finished = timezone.now()
    except (SandboxUnavailable, InternalGradingError, VersionUnavailable, OSError) as exc:
        reason = f"{type(exc).__name__}: {exc}"
        lane.requeue(job_id=job.id, attempt=claim.attempt, reason=reason)
        raise RetryableGradingError(reason) from exc
    except Exception as exc:  # an unexpected bug of ours: never blame the learner
        log.exception("grading crashed", extra={"lane": lane.name, "job_id": str(job.id)})
        lane.requeue(job_id=job.id, attempt=claim.attempt, reason=f"{type(exc).__name__}: {exc}")
        raise RetryableGradingError(str(exc)) from exc
    lane.finish(
        job_id=job.id,
        attempt=claim.attempt,
        result=result,
        sandbox_started_at=sandbox_started,
        sandbox_finished_at=sandbox_finished,
    )
    if not lane.visible_only:  # it may have taken a prepared timed draw: top the stock up, off this path
        timed_stock_after_grading(folder=folder, version_id=job.exercise_version_id, backend=backend)
    return "graded"
