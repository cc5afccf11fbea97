"""Rate limits and failure throttles, counted in the shared cache (Redis in production).

Two mechanisms, and every limit of the platform is one of them (docs/security.md lists them):

* a fixed window per learner or per client address (`window_wait`): the submission limit,
  the lighter Run-button limit, new accounts and password-reset mails per address;
* a failure throttle (`FailureThrottle`) for guessing a secret (a password, a join code):
  failures per key (an account and a client address, say) buy growing waits, and failures
  per client address have a ceiling. It is checked before the costly or secret-revealing
  step and counts only failures, so a guesser elsewhere never locks the owner out.

Each caller names its own setting and raises its own error with the seconds to wait.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

BACKOFF_MEMORY = 24 * 3600  # seconds after its last failure that a key's failures are forgotten
BUSY_TIMEOUT = 60  # seconds an attempt in progress holds its client's turn at most (a crashed one lets go)


def _now() -> float:
    return time.time()


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "replace")).hexdigest()[:32]  # cache keys stay short and safe


def _parse_rate(rate: str) -> tuple[int, int]:
    count, _, window = rate.partition("/")
    return int(count), int(window or 60)


def _window_key(name: str, window_s: int, who: str) -> str:
    return f"{name}-rate:{who}:{int(_now() // window_s)}"


def _window_left(window_s: int) -> int:
    return int(window_s - _now() % window_s) + 1


def _incr(key: str, timeout: float) -> int:
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def window_wait(*, name: str, rate: str, user_id: int | str) -> int | None:
    """Count one use in this window of ``rate`` ("N/seconds"); the seconds to wait when over N, else None."""
    limit, window_s = _parse_rate(rate)
    used = _incr(_window_key(name, window_s, str(user_id)), window_s + 5)
    return _window_left(window_s) if used > limit else None


def window_exceeded(*, name: str, rate: str, who: str) -> int | None:
    """Without counting: the seconds to wait when ``who`` already used ``rate``'s N in this window."""
    limit, window_s = _parse_rate(rate)
    used = int(cache.get(_window_key(name, window_s, _digest(who))) or 0)
    return _window_left(window_s) if used >= limit else None


@dataclass(frozen=True)
class Backoff:
    """`free` failures cost nothing; the next waits `first` seconds, each one after twice as long, up to `cap`."""

    free: int
    first: float
    cap: float

    @classmethod
    def parse(cls, spec: str) -> Backoff:
        free, first, cap = (part.strip() for part in spec.split("/"))
        return cls(int(free), float(first), float(cap))

    def wait_after(self, failures: int) -> float:
        if failures < self.free:
            return 0.0
        return min(self.cap, self.first * 2 ** min(failures - self.free, 64))


@dataclass(frozen=True)
class FailureThrottle:
    """Growing waits per key after failures, plus a ceiling of failures per client address.

    ``backoff_setting`` and ``per_client_setting`` name Django settings ("free/first/cap" and
    "N/seconds"), read at each call so a deployment (or a test) can change them.
    """

    name: str
    backoff_setting: str
    per_client_setting: str

    def _backoff_keys(self, key: str) -> tuple[str, str]:
        digest = _digest(key)
        return f"{self.name}-backoff:{digest}:n", f"{self.name}-backoff:{digest}:at"

    def _backoff_wait(self, key: str) -> int | None:
        count_key, at_key = self._backoff_keys(key)
        failures, last = cache.get(count_key), cache.get(at_key)
        if failures and last is not None:
            backoff = Backoff.parse(getattr(settings, self.backoff_setting))
            left = float(last) + backoff.wait_after(int(failures)) - _now()
            if left > 0:
                return math.ceil(left)
        return None

    def retry_after(self, *, key: str, client: str) -> int | None:
        """Seconds before ``key`` from ``client`` may try again; None when it may try now. Counts nothing."""
        waits = [wait for wait in (self._backoff_wait(key),) if wait is not None]
        if client:
            ceiling = window_exceeded(
                name=f"{self.name}-client", rate=getattr(settings, self.per_client_setting), who=client
            )
            if ceiling is not None:
                waits.append(ceiling)
        return max(waits) if waits else None

    def begin(self, *, key: str, client: str) -> int | None:
        """Before the secret is checked: the seconds to wait (nothing is counted), or None, and the
        attempt counts as a failure of ``key`` and ``client`` until `succeeded` says otherwise.

        Counting first makes the client's ceiling exact under concurrency: the N+1st of many
        simultaneous attempts is refused by the atomic increment, not after N+k secrets were checked.
        """
        waits = [wait for wait in (self._backoff_wait(key),) if wait is not None]
        if client and not waits:
            limit, window_s = _parse_rate(getattr(settings, self.per_client_setting))
            used = _incr(_window_key(f"{self.name}-client", window_s, _digest(client)), window_s + 5)
            if used > limit:
                waits.append(_window_left(window_s))
        if waits:
            return max(waits)
        count_key, at_key = self._backoff_keys(key)
        _incr(count_key, BACKOFF_MEMORY)
        cache.set(at_key, _now(), timeout=BACKOFF_MEMORY)
        cache.touch(count_key, BACKOFF_MEMORY)
        return None

    def succeeded(self, *, key: str, client: str) -> None:
        """The secret was right: ``key``'s failures are forgotten and the client's count gets this attempt back."""
        cache.delete_many(self._backoff_keys(key))
        if client:
            _limit, window_s = _parse_rate(getattr(settings, self.per_client_setting))
            try:
                if cache.decr(_window_key(f"{self.name}-client", window_s, _digest(client))) < 0:
                    cache.set(_window_key(f"{self.name}-client", window_s, _digest(client)), 0, timeout=window_s + 5)
            except ValueError:  # the window turned meanwhile
                pass

    @contextmanager
    def alone(self, client: str) -> Iterator[bool]:
        """True while this is the client's only attempt in progress; False (refuse it) when another is.

        A password check costs about a second of a core: one at a time per address keeps a guesser
        with many threads from taking every worker thread and slowing every page.
        """
        if not client:
            yield True
            return
        busy = f"{self.name}-busy:{_digest(client)}"
        if not cache.add(busy, 1, timeout=BUSY_TIMEOUT):
            yield False
            return
        try:
            yield True
        finally:
            cache.delete(busy)
