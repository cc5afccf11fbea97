"""The Celery app. Its whole configuration is in settings, as CELERY_* (see settings.py for why each)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("tensordojo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

import ops.worker_control  # noqa: E402,F401  (registers the sandbox_status control command)
