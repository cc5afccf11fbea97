"""Keeping the timed stocks full, off the learner's path (the stock itself: grader/timed_stock.py).

A timed submission takes one prepared timed draw from its version's stock instead of running the
reference after the learner's run. The refill runs on the ``maintenance`` queue:

- after a grading left its version's stock below ``TIMED_STOCK_SIZE`` (``timed_stock_after_grading``,
  called by the worker once the result is recorded: a directory listing, then at most one message);
- every 5 minutes (beat) and when a worker starts, for every published CPU exercise with timed cases
  (``timed_stock_refill_published``: one message per version, so several workers share the work).

The stock lives in the grader's cache (TENSORDOJO_CACHE_DIR) of the machine that fills it: worker
containers on one host share it (compose's ``workercache`` volume); on several hosts each host's stock
is topped up by the refills its own workers take, and an empty one only costs the on-path run. GPU
exercises are not stocked (their timed draws need a GPU worker, which drains no ``maintenance``).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db.models import Q

from catalog.models import Exercise, ExerciseVersion
from catalog.services import version_folder
from catalog.versions import VersionUnavailable
from config.grader import sandbox_backend
from grader.backends import Backend, SandboxUnavailable
from grader.exercise import ExerciseFolder
from grader.grading import expected_store
from grader.reference import ReferenceBroken
from grader.timed_stock import TimedStock
from submissions.dispatch import send_timed_stock_refill

log = logging.getLogger("tensordojo.timed_stock")


def timed_stock_refill(*, version_id: int, backend: Backend | None = None) -> int:
    """Top one exercise version's timed stock up to TIMED_STOCK_SIZE; returns how many draws it made.

    Safe to run twice (a full stock makes none; a fill already running elsewhere on this host makes none).
    """
    size = settings.TIMED_STOCK_SIZE
    version = ExerciseVersion.objects.select_related("exercise").get(id=version_id)
    if size <= 0 or version.exercise.gpu:
        return 0
    try:
        folder = version_folder(version)
        stock = TimedStock(expected_store(), folder, backend or sandbox_backend())
        made = stock.fill(size)
        if version.exercise.current_version_id == version.id:
            stock.prune_others()  # superseded versions' draws would otherwise stay on disk
    except (SandboxUnavailable, ReferenceBroken, VersionUnavailable, OSError) as exc:
        # Nothing lost: a timed submission meanwhile runs the reference on its own path; the next trigger retries.
        log.warning("timed stock refill failed", extra={"version": str(version), "error": str(exc)[:300]})
        return 0
    if made:
        log.info("timed stock refilled", extra={"version": str(version), "made": made})
    return made


def timed_stock_refill_published() -> int:
    """Send a refill for every published CPU exercise with timed cases; returns how many were sent."""
    if settings.TIMED_STOCK_SIZE <= 0:
        return 0
    timed = Q(kind="performance") | Q(leaderboard_metric="time")
    version_ids = (
        Exercise.objects.filter(timed, is_active=True, gpu=False, current_version__isnull=False)
        .order_by("id")
        .values_list("current_version_id", flat=True)
    )
    sent = 0
    for version_id in version_ids:
        sent += _send(version_id)
    return sent


def timed_stock_after_grading(*, folder: ExerciseFolder, version_id: int, backend: Backend) -> bool:
    """After a graded run: send a refill when this version's stock is below its size. Never raises (the
    grading is recorded already; a refill not sent now is sent by the next grading or by beat)."""
    if folder.gpu:
        return False
    try:
        if not TimedStock(expected_store(), folder, backend).wants(settings.TIMED_STOCK_SIZE):
            return False
    except (SandboxUnavailable, OSError) as exc:
        log.warning("timed stock level unknown", extra={"version_id": version_id, "error": str(exc)[:300]})
        return False
    return bool(_send(version_id))


def _send(version_id: int) -> int:
    try:
        send_timed_stock_refill(version_id)
    except Exception as exc:  # kombu raises several types when the broker is unreachable
        log.warning("timed stock refill not sent", extra={"version_id": version_id, "error": str(exc)[:200]})
        return 0
    return 1
