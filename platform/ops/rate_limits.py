"""Fixed-window rate limits per learner or per client address, counted in the shared cache.

One mechanism for the submission limit, the lighter Run-button limit and the per-address
limits on new accounts and password-reset mails; each caller names its own setting and
raises its own error with the seconds to wait.
"""

from __future__ import annotations

import time

from django.core.cache import cache


def window_wait(*, name: str, rate: str, user_id: int | str) -> int | None:
    """Count one use in this window of ``rate`` ("N/seconds"); the seconds to wait when over N, else None."""
    count, _, window = rate.partition("/")
    limit, window_s = int(count), int(window or 60)
    key = f"{name}-rate:{user_id}:{int(time.time() // window_s)}"
    cache.add(key, 0, timeout=window_s + 5)
    try:
        used = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window_s + 5)
        used = 1
    if used > limit:
        return int(window_s - time.time() % window_s) + 1
    return None
