"""The 500-submission drain: real workers grade a burst to the end (run by `make bench`, not the suite).

    .venv/bin/pytest -q -s bench/test_drain.py

It takes minutes, and measures throughput rather than a behaviour the inner loop needs,
so it lives with the benchmarks. It uses the pipeline tests' fixtures (a private Redis,
Celery worker processes; Docker when the sandbox image is there).
"""

from __future__ import annotations

import time

import pytest

from tests.conftest import docker_backend  # noqa: F401  (a fixture)
from tests.support.pipeline import (  # noqa: F401  (fixtures)
    assert_each_graded_once,
    finished,
    learner,
    pipeline,
    pipeline_backend,
    submit,
    wait_until,
)

CORRECT = "def solve(x):\n    return x * 2\n"


@pytest.mark.timeout(1200)  # the suite's 300 s is for tests; the drain's own limit is 900 s below
def test_500_queued_submissions_drain_completely(pipeline):  # noqa: F811
    pipeline.start(concurrency=2)
    user = learner()
    started = time.monotonic()
    ids = [s.id for s in submit(user, CORRECT, count=500)]

    wait_until(lambda: finished(ids), 900, interval=2, what="500 submissions to drain")

    elapsed = time.monotonic() - started
    assert_each_graded_once(ids)
    print(f"drained 500 submissions in {elapsed:.1f} s ({500 / elapsed:.2f}/s, backend {pipeline.backend})")
