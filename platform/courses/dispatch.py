"""Sending an exercise check to the `authoring` queue by task name, so imports run one way."""

from __future__ import annotations

from config.celery import app

CHECK_TASK = "courses.check_pushed_exercise"
SYNC_TASK = "courses.sync"
CHECK_QUEUE = "authoring"  # drained after the learners' queues (see scripts/up.sh's queue order)


def send_check(entry_id: int) -> None:
    """Queue the check of one pushed exercise; raises when the broker is unreachable."""
    app.send_task(CHECK_TASK, args=[entry_id], queue=CHECK_QUEUE, retry=True, retry_policy={"max_retries": 2})


def send_sync(course_id: int) -> None:
    """Queue a sync of a course from its repository (a webhook's answer must not wait for git)."""
    app.send_task(SYNC_TASK, args=[course_id], queue=CHECK_QUEUE, retry=True, retry_policy={"max_retries": 2})
