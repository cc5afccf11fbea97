"""Sending work to the workers by task name: the modules that queue work never import the task module.

One task for both lanes of the pipeline (submissions.pipeline): its ``lane`` keyword says
which table the id belongs to (absent: a submission). Queue names are declared once, in
settings.WORK_QUEUES.
"""

from __future__ import annotations

from config.celery import app

GRADE_TASK = "submissions.grade"
SWEEP_TASK = "submissions.sweep"
TIMED_STOCK_REFILL_TASK = "submissions.timed_stock_refill"
TIMED_STOCK_REFILL_PUBLISHED_TASK = "submissions.timed_stock_refill_published"
MAINTENANCE_QUEUE = "maintenance"
SUBMISSION_LANE = "submission"


def send_grading(job_id: str, *, queue: str, countdown: float | None = None, lane: str = SUBMISSION_LANE) -> None:
    """Send the grading task for one row of ``lane`` to ``queue`` (after ``countdown`` seconds).

    Raises when the broker is unreachable.
    """
    app.send_task(
        GRADE_TASK,
        args=[job_id],
        kwargs={} if lane == SUBMISSION_LANE else {"lane": lane},
        queue=queue,
        countdown=countdown,
        retry=True,
        retry_policy={"max_retries": 2, "interval_start": 0.2},
    )


def send_timed_stock_refill(version_id: int) -> None:
    """Send the refill of one exercise version's timed stock to the maintenance queue. Raises when the broker
    is unreachable."""
    app.send_task(
        TIMED_STOCK_REFILL_TASK,
        args=[version_id],
        queue=MAINTENANCE_QUEUE,
        retry=True,
        retry_policy={"max_retries": 2, "interval_start": 0.2},
    )
