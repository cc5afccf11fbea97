"""Sending the preparation of visible cases (offline runs) by task name.

A trial run itself goes through the one pipeline's dispatch (submissions.dispatch, lane "trial").
"""

from __future__ import annotations

from config.celery import app

VISIBLE_CASES_TASK = "trials.visible_cases"


def send_visible_cases(version_id: int, *, queue: str) -> None:
    """Queue the preparation of one version's visible cases; raises when the broker is unreachable."""
    app.send_task(VISIBLE_CASES_TASK, args=[version_id], queue=queue)
