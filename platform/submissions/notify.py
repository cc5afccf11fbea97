"""A page waiting for its verdict learns it from Redis, not by polling the database on a timer.

The worker publishes on the submission's channel once the verdict is committed; the
status endpoint, asked with ``?wait=SECONDS``, subscribes, looks once at the database
(the verdict may already be there) and then sleeps on the channel until the message
or the timeout. Redis is the broker we already run (CELERY_BROKER_URL), so nothing
new is deployed; pub/sub messages are not kept, which is why the database is read
after subscribing and again after waking.

A waiting request holds one of the web server's threads, so each web process lets at
most LONG_POLL_SLOTS of them wait at once; past that, the request answers at once and
the page asks again a little later, as it did before.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import redis
from django.conf import settings

log = logging.getLogger(__name__)

LONG_POLL_SLOTS = 2  # per web process (gunicorn runs 4 threads each): the rest serve pages
MAX_WAIT_S = 25.0  # under the usual 30 s proxy timeouts
_slots = threading.BoundedSemaphore(LONG_POLL_SLOTS)


def _channel(submission_id) -> str:
    return f"tensordojo:submission-finished:{submission_id}"


def _client(timeout: float) -> redis.Redis | None:
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None  # another broker: pages fall back to asking again
    return redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=2.0)


def announce(submission_id) -> None:
    """Wake whoever waits for this submission (call after the verdict is committed). Never raises."""
    try:
        client = _client(2.0)
        if client is not None:
            client.publish(_channel(submission_id), b"finished")
    except redis.RedisError as exc:  # the page still learns it on its next request
        log.warning("could not announce a finished submission: %s", exc, extra={"submission_id": str(submission_id)})


def wait_finished(submission_id, is_finished: Callable[[], bool], timeout: float) -> bool:
    """Wait up to ``timeout`` seconds for the submission to finish; True once it has."""
    timeout = max(0.0, min(timeout, MAX_WAIT_S))
    if timeout == 0 or not _slots.acquire(blocking=False):
        return is_finished()
    try:
        client = _client(timeout + 2.0)
        if client is None:
            return is_finished()
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            pubsub.subscribe(_channel(submission_id))
            if is_finished():  # finished before we subscribed: the message is gone, the row is not
                return True
            deadline = time.monotonic() + timeout
            while (left := deadline - time.monotonic()) > 0:
                if pubsub.get_message(timeout=left) is not None:
                    break
            return is_finished()
        finally:
            pubsub.close()
    except redis.RedisError as exc:
        log.warning("long poll fell back: %s", exc, extra={"submission_id": str(submission_id)})
        return is_finished()
    finally:
        _slots.release()
