"""Sending work to the workers by task name, so imports run one way.

services -> dispatch, and tasks -> worker -> services: the module that queues a grading
never imports the module that performs it (that was the cycle grading -> services ->
tasks -> grading). Queue names are declared once, in settings.WORK_QUEUES.
"""

from __future__ import annotations

from config.celery import app

GRADE_TASK = "submissions.grade"
SWEEP_TASK = "submissions.sweep"


def send_grading(submission_id: str, *, queue: str, countdown: float | None = None) -> None:
    """Send the grading task for one submission to ``queue`` (after ``countdown`` seconds).

    Raises when the broker is unreachable.
    """
    app.send_task(
        GRADE_TASK,
        args=[submission_id],
        queue=queue,
        countdown=countdown,
        retry=True,
        retry_policy={"max_retries": 2, "interval_start": 0.2},
    )
