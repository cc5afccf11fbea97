"""What the exercise host costs a warm grading: cases.py in the worker (before issue 21.5) vs its warm sandbox.

    .venv/bin/python bench/exercise_host.py [--runs 20] [--exercise matmul-by-hand] [--runtime runsc]

One process, one warm pool of one learner sandbox, the reference cached. Each round grades the
exercise's solution twice through grade(), once with the exercise's code in this process (the
in-process host: what the worker did before) and once through its warm exercise host (the
docker backend's default now), in alternating order, and times a bare `docker run` of the
stdlib image beside them (the floor the latency target is stated against). Then it times the
host's judge round trip alone. Prints medians and p90s in milliseconds.
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

from bench.stack import bare_docker_run  # noqa: E402
from grader import exercise_host, grading  # noqa: E402
from grader.backends.docker_backend import DEFAULT_STDLIB_IMAGE, DockerBackend  # noqa: E402
from grader.backends.pool import WarmPool  # noqa: E402
from grader.exercise import load_exercise  # noqa: E402
from grader.exercise_host_docker import close_hosts, docker_host  # noqa: E402
from grader.jobs import sandbox_kind  # noqa: E402
from grader.reference import ExpectedStore  # noqa: E402

HOSTED = exercise_host.host_for


def in_process(exercise, backend):
    return exercise_host.in_process_host(exercise)


def use(host_for) -> None:
    """Which host grade() and the store reach the exercise's code through."""
    exercise_host.host_for = grading.host_for = host_for


def ms(values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    return f"median {statistics.median(ordered) * 1e3:7.1f} ms, p90 {p90 * 1e3:7.1f} ms, min {ordered[0] * 1e3:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--exercise", default="matmul-by-hand")
    parser.add_argument("--runtime", default="", help="the sandboxes' OCI runtime, e.g. runsc (default: the engine's)")
    args = parser.parse_args()
    exercise = load_exercise(ROOT / "exercises" / args.exercise)
    kind = sandbox_kind(exercise)
    backend = DockerBackend(runtime=args.runtime or None)
    pool = WarmPool(backend, {kind: 1}, background=False)
    store = ExpectedStore(Path(tempfile.mkdtemp()))
    samples: dict[str, list[float]] = {"in-process": [], "exercise host": [], "bare docker run": []}
    try:
        for host_for in (in_process, HOSTED):  # warm both: cases built, reference cached, host started
            use(host_for)
            pool.create(exercise.limits, kind=kind, preload=exercise.modules).destroy()
            grading.grade(exercise, exercise.solution, backend=pool, store=store, pool_index=0)
        for run in range(args.runs):
            order = [("in-process", in_process), ("exercise host", HOSTED)]
            for name, host_for in order if run % 2 == 0 else order[::-1]:
                use(host_for)
                pool.fill_once()
                time.sleep(1.0)  # the pooled supervisor has finished starting: a warm grading, as in production
                started = time.perf_counter()
                result = grading.grade(exercise, exercise.solution, backend=pool, store=store, pool_index=0)
                samples[name].append(time.perf_counter() - started)
                assert result.verdict == "accepted", result.message
            samples["bare docker run"].append(bare_docker_run(DEFAULT_STDLIB_IMAGE, "pass", args.runtime))
        judged = judge_round_trips(exercise, backend, store, args.runs)
        starts = cold_starts(exercise, backend, store, max(3, args.runs // 5))
    finally:
        pool.stop()
        close_hosts()
    bare = statistics.median(samples["bare docker run"])
    runtime = args.runtime or "default"
    print(f"{exercise.slug}, {args.runs} warm gradings each (pool of 1, reference cached), runtime {runtime}")
    for name, values in samples.items():
        print(f"  {name:16s} {ms(values)}  ({statistics.median(values) / bare:.2f}x bare docker run)")
    for name, values in judged.items():
        print(f"  judge only, {name:16s} {ms(values)}")
    print(f"  a host's cold start (first grading of a version in a worker process) {ms(starts)}")


def cold_starts(exercise, backend, store, runs: int) -> list[float]:
    """Create, start, load the version and build one draw's cases: what a version's first grading adds."""
    expected = store.get(exercise, backend, 0)
    out = []
    for _ in range(runs):
        close_hosts()
        started = time.perf_counter()
        docker_host(exercise, backend).cases(expected.packed.origin)
        out.append(time.perf_counter() - started)
    return out


def judge_round_trips(exercise, backend, store, runs: int) -> dict[str, list[float]]:
    """The verdict alone on one recorded report: in this process, and over the host's pipe."""
    from grader.backends.base import run_job
    from grader.jobs import learner_job
    from grader.judge import RunEnd
    from grader.protocol import job_marker, parse_report, report_after_marker
    from grader.timing import Peaks

    expected = store.get(exercise, backend, 0)
    job = learner_job(exercise, expected.packed, exercise.solution)
    outcome = run_job(backend, job, exercise.limits, kind=sandbox_kind(exercise), preload=exercise.modules)
    stream = report_after_marker(outcome.stdout, job_marker(job))
    report = parse_report(stream, len(stream) + 1)
    options = dict(end=RunEnd(backend="docker"), peaks=Peaks(1e12, 1e11), visible_only=False)
    hosts = {"in-process": exercise_host.in_process_host(exercise), "exercise host": docker_host(exercise, backend)}
    out: dict[str, list[float]] = {name: [] for name in hosts}
    for _ in range(runs):
        for name, host in hosts.items():
            started = time.perf_counter()
            assert host.judge(expected, report, stream, **options).verdict == "accepted"
            out[name].append(time.perf_counter() - started)
    return out


if __name__ == "__main__":
    main()
