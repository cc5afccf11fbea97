"""A warm pool: sandboxes created and started ahead of demand, each used for ONE run.

`WarmPool` wraps any backend (the Backend protocol of grader/backends/base.py) and is
itself a backend, so `grade()` and the reference store use it unchanged. Its rules:

- A pooled sandbox is created and started in the background; inside it the supervisor
  is already running and blocked on stdin, waiting for its job (the job's own clock
  starts when it is fed, so waiting in the pool costs the learner nothing).
- `create()` hands a ready sandbox to exactly one caller and removes it from the pool
  (never shared); the handed-out sandbox accepts one job (never reused) and the caller
  destroys it as with a cold sandbox. Nothing ever goes back into the pool.
- Sandboxes are keyed by (kind, limits, gpu): a container's limits are fixed when it
  is created, so only a request with the same limits may take it. The pool keeps
  `sizes[kind]` ready for each set of limits asked for recently (the exercises being
  graded now), at most `keys_per_kind` sets per kind (the least recently asked for
  is dropped first). It starts empty: every exercise sets its own limits, so it learns
  them from the first request (cold) and pre-starts from then on; `seed` pre-starts
  for limits known in advance.
- Never older than `max_age_s`: an older one is destroyed, not handed out.
- Shrunk when idle: after `idle_s` with no request of a kind, its ready sandboxes are
  destroyed and none are made until the next request.
- The cold path always works: an empty pool, a pool sandbox found dead (the engine
  restarted, the container was removed) or a pool that failed to fill all fall back
  to `backend.create()`.
- Per process: a pool built in one process refuses to serve in a forked child (a
  child must not share its parent's Docker client or containers); build one per
  worker process after the fork (see submissions.worker).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from grader.backends.base import Backend, RunOutcome, Sandbox, SandboxUnavailable
from grader.harness.contract import SandboxKind
from grader.limits import Limits

log = logging.getLogger("tensordojo.pool")


def parse_sizes(text: str) -> dict[str, int]:
    """Parse "stdlib=2,numpy=1,triton=0" into sizes per image kind (a bad entry raises ValueError)."""
    sizes: dict[str, int] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        kind, sep, count = item.partition("=")
        kind = kind.strip()
        if not sep or kind not in set(SandboxKind) or not count.strip().isdigit():
            raise ValueError(f"bad pool size {item!r}: expected kind=count with kind in {', '.join(SandboxKind)}")
        sizes[kind] = int(count)
    return sizes


def container_alive(sandbox: Sandbox) -> bool:
    """Is a pooled sandbox still there and running? (Docker: ask the engine; others: assume so.)"""
    container = getattr(sandbox, "container", None)
    if container is None:
        return True
    try:
        container.reload()
    except Exception:  # NotFound after an engine restart, or the engine is down: not usable
        return False
    return container.status == "running"


@dataclass(frozen=True)
class Key:
    kind: str
    limits: Limits
    gpu: bool = False
    preload: tuple[str, ...] = ()  # what its runners import while it waits (the exercise's modules)


@dataclass
class Pooled:
    sandbox: Sandbox
    created_at: float


@dataclass
class _Demand:
    key: Key
    last_request: float
    ready: list[Pooled] = field(default_factory=list)


class PooledSandbox:
    """The sandbox handed out by the pool: one job, then destroy (feeding it twice is a bug).

    ``destroy`` hands the container to the pool's thread, which removes it off the
    learner's path (removing a container costs tens of milliseconds); it is never used again.
    A run that did not end with a collected report (collect raised) may still be running
    learner code: that container is removed at once, not left to wait for the thread.
    """

    def __init__(self, inner: Sandbox, on_done: Callable[[Sandbox, bool], None], warm: bool):
        self.inner = inner
        self.warm = warm  # True when it came from the pool, False when created on demand
        self._fed = False
        self._collected = False
        self._on_done = on_done
        self._destroyed = False

    def __getattr__(self, name):  # e.g. .container for the engine's view of it
        return getattr(self.inner, name)

    def feed(self, job: bytes) -> None:
        if self._fed:
            raise RuntimeError("a pooled sandbox runs exactly one job")
        self._fed = True
        self.inner.feed(job)

    def collect(self) -> RunOutcome:
        outcome = self.inner.collect()
        self._collected = True
        return outcome

    def destroy(self) -> None:
        if not self._destroyed:
            self._destroyed = True
            self._on_done(self.inner, not self._fed or self._collected)


class WarmPool:
    """A Backend that serves sandboxes from a pool of pre-started ones (see the module docstring)."""

    def __init__(
        self,
        backend: Backend,
        sizes: dict[str, int],
        *,
        max_age_s: float = 300.0,
        idle_s: float = 600.0,
        tick_s: float = 1.0,
        keys_per_kind: int = 3,
        seed: tuple[tuple[str, Limits], ...] = (),
        clock: Callable[[], float] = time.monotonic,
        alive: Callable[[Sandbox], bool] = container_alive,
        background: bool = True,
    ):
        self.backend = backend
        self.name = backend.name
        self.unsafe = backend.unsafe
        self.sizes = {kind: n for kind, n in sizes.items() if n > 0}
        self.max_age_s = max_age_s
        self.idle_s = idle_s
        self.tick_s = tick_s
        self.keys_per_kind = keys_per_kind
        self.clock = clock
        self.alive = alive
        self.pid = os.getpid()
        self.stats = {"warm": 0, "cold": 0, "stale": 0, "expired": 0, "shrunk": 0, "created": 0, "create_failed": 0}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._backoff_until = 0.0
        self._in_use = 0  # sandboxes handed out and not yet destroyed
        self._graveyard: list[Sandbox] = []  # used once: removed by the pool's thread, off the learner's path
        now = clock()
        self._demand: dict[Key, _Demand] = {}
        for kind, limits in seed:
            if kind in self.sizes:
                self._demand[Key(kind, limits)] = _Demand(Key(kind, limits), now)
        self._thread: threading.Thread | None = None
        if background and self.sizes:
            self._thread = threading.Thread(target=self._run, name="sandbox-pool", daemon=True)
            self._thread.start()

    # The Backend protocol -------------------------------------------------------------

    def image_id(self, kind: SandboxKind = SandboxKind.NUMPY) -> str:
        return self.backend.image_id(kind)

    def check(self) -> dict:
        report = dict(self.backend.check())
        report["pool"] = self.describe()
        return report

    def create(
        self, limits: Limits, *, gpu: bool = False, kind: SandboxKind = SandboxKind.NUMPY, preload: tuple[str, ...] = ()
    ) -> Sandbox:
        """A ready sandbox for (kind, limits, gpu, preload) if the pool holds a live one, else a fresh one."""
        key = Key(kind, limits, gpu, tuple(preload))
        if os.getpid() != self.pid:  # a forked child: the parent's containers and client are not ours
            return self._cold(key)
        now = self.clock()
        taken = None
        stale: list[Pooled] = []
        with self._lock:
            if kind in self.sizes:
                demand = self._demand.get(key)
                if demand is None:  # limits not pooled yet: cold now, pre-started from the next run on
                    demand = self._demand[key] = _Demand(key, now)
                    stale += self._evict(kind)
                demand.last_request = now
                while demand.ready and taken is None:
                    candidate = demand.ready.pop(0)
                    if now - candidate.created_at > self.max_age_s:
                        stale.append(candidate)
                        self.stats["expired"] += 1
                    else:
                        taken = candidate
        for old in stale:
            self._discard(old.sandbox)
        if taken is not None and not self.alive(taken.sandbox):
            self.stats["stale"] += 1
            self._discard(taken.sandbox)
            taken = None
        if taken is None:
            return self._cold(key)
        self.stats["warm"] += 1
        return self._hand_out(taken.sandbox, warm=True)

    # Filling, ageing and shrinking ------------------------------------------------------

    def fill_once(self) -> int:
        """One maintenance pass: drop expired and idle sandboxes, then top every kind up. Returns how many were made."""
        if os.getpid() != self.pid:
            return 0
        now = self.clock()
        drop: list[Sandbox] = []
        wanted: list[Key] = []
        with self._lock:
            for key, demand in list(self._demand.items()):
                keep = []
                for pooled in demand.ready:
                    if now - pooled.created_at > self.max_age_s:
                        self.stats["expired"] += 1
                        drop.append(pooled.sandbox)
                    else:
                        keep.append(pooled)
                idle = now - demand.last_request > self.idle_s
                if idle:
                    self.stats["shrunk"] += len(keep)
                    drop.extend(p.sandbox for p in keep)
                    keep = []
                demand.ready = keep
                if idle:
                    del self._demand[key]  # asked for again: it comes back, cold once
                else:
                    wanted.extend([key] * (self.sizes[key.kind] - len(keep)))
        for sandbox in drop:
            self._discard(sandbox)
        made = 0
        with self._lock:
            busy = self._in_use > 0
        if busy or now < self._backoff_until:  # never pre-start while a run of ours needs the CPU
            return 0
        for key in wanted:
            if self._stopped.is_set():
                break
            try:
                sandbox = self.backend.create(key.limits, gpu=key.gpu, kind=key.kind, preload=key.preload)
            except SandboxUnavailable as exc:  # the engine is down or the image missing: the cold path reports it
                self.stats["create_failed"] += 1
                self._backoff_until = self.clock() + 5.0
                log.warning("pool: could not pre-start a %s sandbox: %s", key.kind, exc)
                break
            self.stats["created"] += 1
            made += 1
            with self._lock:
                demand = self._demand.get(key)
                if demand is not None and len(demand.ready) < self.sizes[key.kind] and not self._stopped.is_set():
                    demand.ready.append(Pooled(sandbox, self.clock()))
                    sandbox = None
            if sandbox is not None:  # the demand moved on (or we stopped) while it was being made
                self._discard(sandbox)
        return made

    def describe(self) -> dict:
        with self._lock:
            ready = dict.fromkeys(self.sizes, 0)
            for key, demand in self._demand.items():
                ready[key.kind] += len(demand.ready)
        return {"sizes": dict(self.sizes), "ready": ready, **self.stats}

    def stop(self) -> None:
        """Stop filling and destroy every sandbox still waiting (worker shutdown)."""
        self._stopped.set()
        self._wake.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=30)
        if os.getpid() != self.pid:
            return  # a child never touches its parent's containers
        with self._lock:
            drop = [p.sandbox for d in self._demand.values() for p in d.ready]
            for demand in self._demand.values():
                demand.ready = []
        for sandbox in drop:
            self._discard(sandbox)
        self.bury()

    # Internals ----------------------------------------------------------------------------

    def _evict(self, kind: str) -> list[Pooled]:
        """Keep at most keys_per_kind sets of limits for ``kind``: drop the least recently asked for (lock held)."""
        keys = sorted((k for k in self._demand if k.kind == kind), key=lambda k: self._demand[k].last_request)
        dropped: list[Pooled] = []
        for key in keys[: max(0, len(keys) - self.keys_per_kind)]:
            dropped += self._demand.pop(key).ready
        return dropped

    def _cold(self, key: Key) -> Sandbox:
        self.stats["cold"] += 1
        sandbox = self.backend.create(key.limits, gpu=key.gpu, kind=key.kind, preload=key.preload)
        return self._hand_out(sandbox, warm=False)

    def _hand_out(self, sandbox: Sandbox, *, warm: bool) -> PooledSandbox:
        with self._lock:
            self._in_use += 1
        return PooledSandbox(sandbox, self._done, warm=warm)

    def _done(self, sandbox: Sandbox, ended: bool = True) -> None:
        with self._lock:
            self._in_use -= 1
            deferred = ended and self._thread is not None and not self._stopped.is_set() and os.getpid() == self.pid
            if deferred:
                self._graveyard.append(sandbox)
        if not deferred:
            self._discard(sandbox)
        self._wake.set()  # bury it and refill now that the run is over

    def bury(self) -> int:
        """Remove the sandboxes handed back since the last call. Returns how many."""
        with self._lock:
            dead, self._graveyard = self._graveyard, []
        for sandbox in dead:
            self._discard(sandbox)
        return len(dead)

    def _discard(self, sandbox: Sandbox) -> None:
        try:
            sandbox.destroy()
        except Exception as exc:  # destroy is best effort; the sweep removes what is left
            log.warning("pool: could not destroy a sandbox: %s", exc)

    def _run(self) -> None:
        # Refills happen when a handed-out sandbox is destroyed (its run is over) and on every
        # tick, but never while a handed-out sandbox is running: on a 2-core machine starting a
        # container beside a run would slow the very run the pool exists to speed up.
        while not self._stopped.is_set():
            try:
                self.bury()
                self.fill_once()
            except Exception:  # never let the filler die: the cold path covers the gap
                log.exception("pool: fill failed")
            self._wake.wait(self.tick_s)
            self._wake.clear()
