"""Celery tasks for courses: thin shells around courses.services (queue `authoring`)."""

from __future__ import annotations

from celery import shared_task

from courses import services
from courses.dispatch import CHECK_TASK, SYNC_TASK


@shared_task(name=CHECK_TASK, bind=True, max_retries=3)
def check_pushed_exercise(self, entry_id: int) -> str:
    """Check one pushed exercise's version in an exercise sandbox; the engine down retries later."""
    from grader.backends.base import SandboxUnavailable

    try:
        return services.pushed_exercise_check(entry_id=entry_id).status
    except SandboxUnavailable as exc:
        raise self.retry(exc=exc, countdown=30) from exc


@shared_task(name=SYNC_TASK)
def sync_course(course_id: int) -> str:
    """Fetch the course's branch and push it (a webhook asked); the push's checks follow."""
    return services.course_sync_by_id(course_id=course_id)
