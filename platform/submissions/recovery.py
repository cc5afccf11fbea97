"""When a worker is ready, re-send what the broker may have lost, in every lane (see pipeline.resend_unfinished),
and send the refills of the timed stocks (submissions.timed_stock).

Connected in SubmissionsConfig.ready(); only worker processes send `worker_ready`.
"""

from __future__ import annotations

import logging

from celery.signals import worker_ready
from django.core.cache import cache
from django.db import connection

log = logging.getLogger("tensordojo.recovery")
ONE_RECOVERY_AT_A_TIME = "submissions:recovery"  # several workers starting together resend once
ONE_STOCK_REFILL_AT_A_TIME = "submissions:timed-stock-refill"


@worker_ready.connect
def resend_after_worker_start(**kwargs) -> None:
    """Re-send unfinished submissions and trials once this worker consumes, and top the timed stocks up;
    never stops the worker from starting."""
    from submissions.lanes import resend_all
    from submissions.timed_stock import timed_stock_refill_published

    try:
        if cache.add(ONE_RECOVERY_AT_A_TIME, 1, timeout=15):
            resend_all()
    except Exception:  # the database or broker may still be coming back: the sweep covers it
        log.exception("re-sending unfinished submissions after the worker start failed")
    try:
        if cache.add(ONE_STOCK_REFILL_AT_A_TIME, 1, timeout=15):
            timed_stock_refill_published()
    except Exception:  # as above: beat sends the refill again within minutes
        log.exception("sending the timed stock refills after the worker start failed")
    finally:
        connection.close()  # the pool's future children must not inherit this connection
