"""Recovery: a worker killed mid-grading and a broker that lost its queue, then a worker back;
how long until every submission is graded (the goal: under a minute). Run by hand or `make bench`:

    .venv/bin/pytest -q -s bench/test_recovery.py

The suite's test (tests/pipeline/test_pipeline.py) proves that everything is graded exactly once
and fails only on a stall; how soon is this benchmark's, since a test must not depend on load.
"""

from __future__ import annotations

import time

import pytest

from submissions.models import Submission
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

SLOW_CORRECT = "import time\n\ndef solve(x):\n    time.sleep(1.2)\n    return x * 2\n"
GOAL_S = 60


@pytest.mark.timeout(600)
def test_everything_is_graded_within_a_minute_of_a_worker_coming_back(pipeline):  # noqa: F811
    worker = pipeline.start(concurrency=1)
    ids = [s.id for s in submit(learner(), SLOW_CORRECT, count=6)]
    wait_until(lambda: Submission.objects.filter(id__in=ids, status="running").exists(), 60, what="grading")

    pipeline.kill(worker)
    pipeline.redis.restart()
    pipeline.start(concurrency=1)
    back = time.monotonic()
    wait_until(lambda: finished(ids), 300, interval=0.5, what="every submission graded after the restart")
    elapsed = time.monotonic() - back

    assert_each_graded_once(ids)
    print(f"recovered: 6 submissions graded {elapsed:.1f} s after the worker came back (goal {GOAL_S} s)")
    assert elapsed < GOAL_S
