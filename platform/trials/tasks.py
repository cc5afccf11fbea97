"""Celery tasks for trials: thin shells around trials.services (time limits: the CELERY_TASK_* defaults)."""

from __future__ import annotations

from celery import shared_task

from trials import services
from trials.dispatch import RUN_TASK, VISIBLE_CASES_TASK


@shared_task(name=RUN_TASK)
def run_trial(trial_id: str) -> str:
    return services.trial_run(trial_id=trial_id)


@shared_task(name=VISIBLE_CASES_TASK)
def prepare_visible_cases(version_id: int) -> bool:
    return services.visible_cases_build(version_id=version_id) is not None
