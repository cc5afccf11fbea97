"""Celery task for the visible cases of offline runs (a trial run itself is the pipeline's task, submissions.grade)."""

from __future__ import annotations

from celery import shared_task

from trials import services
from trials.dispatch import VISIBLE_CASES_TASK


@shared_task(name=VISIBLE_CASES_TASK)
def prepare_visible_cases(version_id: int) -> bool:
    return services.visible_cases_build(version_id=version_id) is not None
