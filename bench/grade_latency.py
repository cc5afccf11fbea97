"""Wall time of grading a trivial correct submission through the real Docker sandbox.

    .venv/bin/python bench/grade_latency.py [--runs 20] [--exercise matmul-by-hand]

Prints the cold time (reference not cached yet: two sandbox runs) and the warm
distribution (one sandbox run each), and where one warm run spends its time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader.backends.docker_backend import DockerBackend  # noqa: E402
from grader.exercise import load_exercise  # noqa: E402
from grader.grading import grade  # noqa: E402
from grader.jobs import learner_job, sandbox_kind  # noqa: E402
from grader.reference import ExpectedStore  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--exercise", default="matmul-by-hand")
    parser.add_argument("--runtime", default=None, help="the sandbox's OCI runtime, e.g. runsc (default: the engine's)")
    args = parser.parse_args()
    exercise = load_exercise(ROOT / "exercises" / args.exercise)
    backend = DockerBackend(runtime=args.runtime)
    store = ExpectedStore(Path(tempfile.mkdtemp()))
    source = exercise.solution

    started = time.perf_counter()
    result = grade(exercise, source, backend=backend, store=store, pool_index=0)
    cold = time.perf_counter() - started
    assert result.verdict == "accepted", result.message

    warm, ranked = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        graded = grade(exercise, source, backend=backend, store=store, pool_index=0)
        warm.append(time.perf_counter() - started)
        assert graded.verdict == "accepted", graded.message
        ranked += [entry["value"] for entry in graded.leaderboard if entry["name"] == "time"]

    expected = store.get(exercise, backend, 0)
    job = learner_job(exercise, expected.packed, source)
    t0 = time.perf_counter()
    sandbox = backend.create(exercise.limits, kind=sandbox_kind(exercise))
    t1 = time.perf_counter()
    sandbox.feed(job)
    outcome = sandbox.collect()
    t2 = time.perf_counter()
    sandbox.destroy()
    t3 = time.perf_counter()
    assert outcome.exit_code == 0

    warm.sort()
    print(f"exercise {exercise.slug}: {len(expected.packed.cases)} cases, {sandbox_kind(exercise)} sandbox")
    print(f"cold (reference run + learner run): {cold:.3f} s")
    print(
        f"warm over {len(warm)} runs: median {statistics.median(warm):.3f} s, "
        f"p90 {warm[int(0.9 * (len(warm) - 1))]:.3f} s, min {warm[0]:.3f} s, max {warm[-1]:.3f} s"
    )
    if ranked:
        print(f"leaderboard time (timed outside): median {statistics.median(ranked) * 1e3:.2f} ms")
    print(f"one warm run: create+start {t1 - t0:.3f} s, feed+run+collect {t2 - t1:.3f} s, destroy {t3 - t2:.3f} s")


if __name__ == "__main__":
    main()
