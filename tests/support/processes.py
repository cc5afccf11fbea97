"""Our own processes, started by the tests and by the benchmarks: one place for ports, waits and a worker.

bench/stack.py (the benchmarks' stack) and tests/support/pipeline.py (the pipeline and browser
tests' workers) both start Celery workers as `make up` does; the command line, the queues and the
small helpers around them live here once.
"""

from __future__ import annotations

import socket
import sys
import time
import uuid
from pathlib import Path

CELERY = str(Path(sys.executable).with_name("celery"))
WORKER_QUEUES = "cpu,trial,regrade,maintenance,authoring"  # scripts/up.sh's worker, in the same order


class WaitTimedOut(AssertionError, TimeoutError):
    """A condition did not come true in time (an assertion to pytest, a timeout to the benchmarks)."""


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout: float, interval: float = 0.25, what: str = "condition"):
    """Poll ``predicate`` until it returns something true (returned), or raise WaitTimedOut."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise WaitTimedOut(f"timed out after {timeout:.0f} s waiting for {what}")


def worker_argv(prefix: str, concurrency: int, queues: str = WORKER_QUEUES) -> list[str]:
    """A Celery worker's command line, as `make up` starts it, named ``<prefix>-<random>@host``."""
    return [
        CELERY,
        "-A",
        "config",
        "worker",
        "-Q",
        queues,
        "-c",
        str(concurrency),
        "-n",
        f"{prefix}-{uuid.uuid4().hex[:6]}@%h",
        "--without-gossip",
        "--without-mingle",
        "-l",
        "INFO",
    ]
