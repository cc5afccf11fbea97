"""Slowing down password guessing: failed log-ins counted per username and per client address.

Counts live in Django's cache (Redis in production, so every web process shares them;
local memory in tests). A fixed window per limit: after N failures within the window,
further attempts are refused until it ends, with the seconds left (HTTP Retry-After).
A success clears the username's count. The web form and `POST /api/token` share it.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def _parse(spec: str) -> tuple[int, int]:
    count, _, window = spec.partition("/")
    return int(count), int(window or 60)


def _limits(*, username: str, ip: str) -> list[tuple[str, int, int]]:
    """(cache key, limit, window) for each bucket this attempt falls in."""
    buckets = []
    for kind, value, spec in (
        ("user", username.strip().casefold(), settings.LOGIN_FAILURES_PER_USERNAME),
        ("ip", ip, settings.LOGIN_FAILURES_PER_IP),
    ):
        if not value:
            continue
        limit, window = _parse(spec)
        digest = hashlib.sha256(value.encode("utf-8", "replace")).hexdigest()[:32]  # keys stay short and safe
        buckets.append((f"login-fail:{kind}:{digest}:{int(time.time() // window)}", limit, window))
    return buckets


def _seconds_left(window: int) -> int:
    return int(window - time.time() % window) + 1


def client_ip(request) -> str:
    """The client's address: the peer, or behind TRUSTED_PROXY_HOPS proxies the address the farthest
    of ours saw in X-Forwarded-For. Entries left of it are the client's own words (a fresh one per
    guess would dodge the limit), so they are never read."""
    hops = settings.TRUSTED_PROXY_HOPS
    if hops > 0:
        chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(chain) >= hops:
            return chain[-hops]
    return request.META.get("REMOTE_ADDR", "") or ""


def login_retry_after(*, username: str, ip: str) -> int | None:
    """Seconds to wait when this username or address has failed too often; None when it may try."""
    waits = [_seconds_left(window) for key, limit, window in _limits(username=username, ip=ip) if _count(key) >= limit]
    return max(waits) if waits else None


def _count(key: str) -> int:
    return int(cache.get(key) or 0)


def login_failed(*, username: str, ip: str) -> None:
    """Record one failed attempt against the username and the address."""
    for key, _limit, window in _limits(username=username, ip=ip):
        cache.add(key, 0, timeout=window + 5)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window + 5)


def login_succeeded(*, username: str) -> None:
    """A correct password clears the username's failures (not the address's)."""
    for key, _limit, _window in _limits(username=username, ip=""):
        cache.delete(key)


def throttled_message(retry_after: int) -> str:
    return f"Too many failed log-ins. Wait {retry_after} seconds, then try again."
