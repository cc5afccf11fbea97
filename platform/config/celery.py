"""The Celery app.

Grading tasks are acknowledged late and rejected on worker loss, so a worker
that dies mid-run leaves its message to be delivered again; prefetch is 1 so
a busy worker does not hoard jobs. The soft time limit sits below the hard
one, and the broker's visibility timeout above the hard one, so a slow but
alive task is never handed to a second worker.
"""

from __future__ import annotations

import os

from celery import Celery
from kombu import Exchange, Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("tensordojo")
app.config_from_object("django.conf:settings", namespace="CELERY")

QUEUES = ("cpu", "gpu", "regrade", "maintenance")  # live CPU, live GPU, re-grades (low priority), sweeps
hard = int(os.environ.get("GRADING_HARD_TIME_LIMIT", "300"))
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    task_acks_on_failure_or_timeout=True,
    worker_prefetch_multiplier=1,
    task_track_started=False,
    task_default_queue="cpu",
    task_queues=[Queue(name, Exchange(name, type="direct"), routing_key=name) for name in QUEUES],
    broker_transport_options={"visibility_timeout": hard * 2, "queue_order_strategy": "priority"},
    broker_connection_retry_on_startup=True,
    task_serializer="json",
    accept_content=["json"],
    worker_hijack_root_logger=False,
    beat_schedule={
        "sweep-stuck-submissions": {"task": "submissions.sweep", "schedule": 60.0, "options": {"queue": "maintenance"}},
    },
)
app.autodiscover_tasks()

import ops.worker_control  # noqa: E402,F401  (registers the sandbox_status control command)
