"""Celery tasks for trials: thin shells around trials.services."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from trials import services
from trials.dispatch import RUN_TASK, VISIBLE_CASES_TASK


@shared_task(
    name=RUN_TASK, soft_time_limit=settings.GRADING_SOFT_TIME_LIMIT, time_limit=settings.GRADING_HARD_TIME_LIMIT
)
def run_trial(trial_id: str) -> str:
    return services.trial_run(trial_id=trial_id)


@shared_task(name=VISIBLE_CASES_TASK, soft_time_limit=settings.GRADING_SOFT_TIME_LIMIT)
def prepare_visible_cases(version_id: int) -> bool:
    return services.visible_cases_build(version_id=version_id) is not None
