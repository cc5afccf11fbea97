"""Sending trial work to the workers by task name (services never import the tasks module)."""

from __future__ import annotations

from config.celery import app

RUN_TASK = "trials.run"
VISIBLE_CASES_TASK = "trials.visible_cases"


def send_trial(trial_id: str, *, queue: str) -> None:
    """Queue one trial run; raises when the broker is unreachable."""
    app.send_task(RUN_TASK, args=[trial_id], queue=queue, retry=True, retry_policy={"max_retries": 1})


def send_visible_cases(version_id: int, *, queue: str) -> None:
    """Queue the preparation of one version's visible cases; raises when the broker is unreachable."""
    app.send_task(VISIBLE_CASES_TASK, args=[version_id], queue=queue)
