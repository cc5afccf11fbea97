"""What every backend offers: create a sandbox, feed it a job, collect the outcome.

The three steps are separate on purpose: a pool can create sandboxes ahead of
demand, and a GPU run differs only in how the sandbox is created.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from grader.harness.contract import SandboxKind
from grader.limits import Limits


class SandboxUnavailable(Exception):
    """Our infrastructure failed (engine down, image missing): retry, never blame the learner."""


@dataclass
class RunOutcome:
    """What came back from one run, before anything is trusted."""

    stdout: bytes
    stderr: bytes
    exit_code: int | None
    wall_s: float
    timed_out: bool = False  # killed from outside at the wall-clock deadline
    oom_killed: bool = False
    stdout_overflow: bool = False
    backend: str = ""
    unsafe: bool = False


class Sandbox(Protocol):
    def feed(self, job: bytes) -> None: ...

    def collect(self) -> RunOutcome: ...

    def destroy(self) -> None: ...


class Backend(Protocol):
    name: str
    unsafe: bool

    def create(
        self, limits: Limits, *, gpu: bool = False, kind: SandboxKind = SandboxKind.NUMPY, preload: tuple[str, ...] = ()
    ) -> Sandbox:
        """A started sandbox; ``preload``: modules its runners may import before the job arrives."""
        ...

    def image_id(self, kind: SandboxKind = SandboxKind.NUMPY) -> str:
        """What runs the harness (an image id): the reference cache is keyed by it."""
        ...

    def check(self) -> dict: ...


def run_job(
    backend: Backend,
    job: bytes,
    limits: Limits,
    *,
    gpu: bool = False,
    kind: SandboxKind = SandboxKind.NUMPY,
    preload: tuple[str, ...] = (),
) -> RunOutcome:
    """Create, feed, collect and always destroy. ``kind`` picks the sandbox image (numpy | stdlib)."""
    sandbox = backend.create(limits, gpu=gpu, kind=kind, preload=preload)
    try:
        sandbox.feed(job)
        return sandbox.collect()
    finally:
        sandbox.destroy()
