"""Runners started before they are needed, and what they preload (standard library only)."""

from __future__ import annotations

import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from child import Boot, Child  # noqa: E402
from processes import kill_group, start_ticks  # noqa: E402

PRELOAD_ENV = "TENSORDOJO_PRELOAD"  # the modules spare runners import before the job arrives
SPARES_ENV = "TENSORDOJO_SPARES"  # how many runners to keep started ahead (default 2, at most 3)


class Spares:
    """Runners started before they are needed, so a phase need not wait for an interpreter.

    In a pooled container the first ones start before the job exists and import the
    job's modules (PRELOAD_ENV) while the container waits; later ones start while an
    earlier phase runs, never during a timed phase, and are settled (their imports
    done) before a timed phase starts, so no start-up competes with a timed call.
    No learner code runs in a spare until it is taken; each is taken at most once.
    """

    def __init__(self, preload: list[str], count: int):
        self.preload, self.count = preload, count
        self.ready: list[Child] = []
        self.fill(count)

    def fill(self, want: int, sealed_by: float | None = None) -> None:
        """Start spares up to ``want``. With ``sealed_by``, wait until each new one is sealed.

        A phase's learner code must not start while a runner it could reach is still unsealed
        (a fresh interpreter is dumpable until its first lines run), so a fill during a job
        waits for the ``sealed`` frame, a few milliseconds, before the phase's code begins.
        """
        if sealed_by is not None:  # those started with the container too: learner code is about to run
            self._keep_those_that(Child.wait_sealed, sealed_by)
        while len(self.ready) < min(want, self.count):
            try:
                child = Child(self.preload)
            except OSError:  # out of processes or memory: phases start their own runner
                return
            if sealed_by is not None:
                try:
                    child.wait_sealed(sealed_by)
                except Boot:
                    self._end(child)
                    return
            self.ready.append(child)

    def take(self) -> Child | None:
        while self.ready:
            child = self.ready.pop(0)
            if child.alive() and child.untouched():
                return child
            if child.alive():  # reniced or pinned by an earlier phase (gVisor allows it): it may carry data
                self._end(child)
                continue
            child.discard()  # killed from outside (a learner's process may do that): start a fresh one
        return None

    def pids(self) -> frozenset[int]:
        """The spares' PIDs, each checked to still be that process (a reused PID is not spared)."""
        return frozenset(
            child.pid for child in self.ready if child.status is None and start_ticks(child.pid) == child.started
        )

    def reaped(self, pid: int, status: int) -> None:
        for child in self.ready:
            if child.pid == pid:
                child.status = status
                child.process.returncode = -1

    def settle(self, deadline: float) -> None:
        """Wait until every spare has imported its modules (before a timed phase)."""
        self._keep_those_that(Child.wait_preloaded, deadline)

    def _keep_those_that(self, wait, deadline: float) -> None:
        """Wait for each spare to reach a step (``Child.wait_sealed``, ``wait_preloaded``); end those that fail."""
        for child in list(self.ready):
            try:
                wait(child, deadline)
            except Boot:
                self.ready.remove(child)
                self._end(child)

    def stop(self) -> None:
        for child in self.ready:
            self._end(child)
        self.ready = []

    @staticmethod
    def _end(child: Child) -> None:
        kill_group(child.pid)
        child.poll(time.monotonic() + 1.0)
        child.discard()


def spare_settings(environ) -> tuple[list[str], int]:
    """What spares import and how many to keep: the backend says which modules (PRELOAD_ENV)."""
    preload = [name for name in environ.get(PRELOAD_ENV, "").split(",") if name in ("numpy", "torch")]
    try:
        count = int(environ.get(SPARES_ENV, ""))
    except ValueError:
        count = 2  # the visible phase's runner and the hidden phase's (a timed phase's starts during the hidden one)
    return preload, max(0, min(count, 3))
