"""`make bench`: latency, throughput, soak and web load through the real stack, each against its floor.

    .venv/bin/python bench/run.py                 # the issue's sizes (long: tens of minutes)
    .venv/bin/python bench/run.py --quick         # small sizes, for development
    .venv/bin/python bench/run.py --only latency,soak --runs 10

Every ratio is measured against a baseline taken in the same run, interleaved with it
(absolute times on a shared 2-core machine are noise). Prints one table and writes
bench/results/<section>.json and bench/results/summary.json. Everything listens on
127.0.0.1, is bounded in count and time, and is stopped at the end (containers, Redis,
web server, workers); the stack's database is dropped.

Sections:
- latency: submit (web API) -> graded (Redis, Celery, Docker) of a correct matmul-by-hand
  (stdlib sandbox) and attention-torch, one at a time through a worker of concurrency 1,
  with its pool off (cold) then on (warm, refilled before each sample),
  each sample interleaved with bare `docker run --rm --network none` of the sandbox images
  running `import numpy`, `pass` (stdlib image) and `import torch`.
- throughput: N submissions queued at once, drained by one worker of concurrency 2 (pool on),
  against bare `docker run` of the NumPy image importing numpy at parallelism 2 (half before,
  half after the drain) and of the stdlib image running `pass`; and the ceiling: empty
  containers (`pass`) created, started, waited for and removed through the docker SDK, as the
  grader drives its own, at the same parallelism.
- soak: N submissions through one worker (concurrency 1, pool on): its open files and RSS
  (whole process tree) after warm-up and at the end, and containers left after it stops.
- web: see bench/web.py (PostgreSQL with 10,000 learners and 500,000 submissions, wrk).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stack import (  # noqa: E402
    Stack,
    bare_docker_run,
    cpu_breakdown,
    cpu_snapshot,
    drop_postgres_database,
    empty_container_sdk,
    exercise_root,
    fds_and_rss,
    postgres_url,
    process_tree,
    running_pool_containers,
    sandbox_containers,
    wait_until,
)

RESULTS = ROOT / "bench" / "results"
NUMPY_IMAGE = "tensordojo/sandbox:latest"
STDLIB_IMAGE = "tensordojo/sandbox-stdlib:latest"
POOL = "stdlib=1,numpy=1,triton=0"
BENCH_EXERCISES = ("matmul-by-hand", "attention-torch")  # what the latency, throughput and soak sections submit
TARGETS = {
    "latency_p50_ratio": ("<=", 0.35),
    "latency_p95_ratio": ("<=", 0.6),
    "throughput_ratio": (">=", 1.5),
    "web_p95_ms": ("<", 100),
    "soak_containers_left": ("==", 0),
    "soak_fd_growth": ("==", 0),
    "soak_rss_growth_mb": ("<", 20),
}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def dist(values: list[float]) -> dict:
    return {"n": len(values), "p50": pct(values, 0.5), "p95": pct(values, 0.95), "min": min(values), "max": max(values)}


class Learner:
    """One learner talking to the web API with a token, as the CLI does."""

    def __init__(self, url: str):
        import requests
        from django.contrib.auth import get_user_model
        from rest_framework.authtoken.models import Token

        user = get_user_model().objects.create_user(username=f"bench-{uuid.uuid4().hex[:8]}", password=None)
        self.user = user
        self.url = url
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Token {Token.objects.create(user=user).key}"

    def submit(self, slug: str, source: str) -> tuple[str, float]:
        started = time.time()
        response = self.session.post(
            f"{self.url}/api/submissions", json={"exercise": slug, "source": source}, timeout=60
        )
        response.raise_for_status()
        return response.json()["id"], started


def wait_graded(submission_id: str, timeout: float = 300) -> dict:
    """Poll the database (not the web server: the load would be ours) until the submission is finished."""
    from submissions.models import Submission

    fields = ("status", "verdict", "created_at", "started_at", "sandbox_started_at", "sandbox_finished_at", "graded_at")

    def done():
        row = Submission.objects.filter(id=submission_id).values(*fields, "worker").first()
        return row if row and row["status"] in ("graded", "error") else None

    return wait_until(done, timeout, interval=0.005, what=f"submission {submission_id}")


def solution(slug: str) -> str:
    from grader.exercise import load_exercise

    return load_exercise(ROOT / "exercises" / slug).solution


# Latency ----------------------------------------------------------------------------------------


def latency(stack: Stack, url: str, runs: int, torch_runs: int, warmup: int) -> dict:
    learner = Learner(url)
    matmul, attention = solution("matmul-by-hand"), solution("attention-torch")
    report: dict = {}
    for mode, pool in (("cold", ""), ("warm", POOL)):
        # One submission at a time on an idle system: one prefork child, so every sample meets the same pool.
        worker = stack.start_worker(f"worker-latency-{mode}", concurrency=1, pool=pool)
        pids = set(process_tree(worker.pid))
        expected_ready = 2 if pool else 0  # one stdlib (matmul-by-hand) and one numpy (attention-torch) sandbox

        for _ in range(warmup):  # reference runs, and each child's pool learns the exercises' limits
            for slug, source in (("matmul-by-hand", matmul), ("attention-torch", attention)):
                row = wait_graded(learner.submit(slug, source)[0])
                if row["verdict"] != "accepted":
                    print(f"  warm-up {slug}: {row['verdict'] or row['status']} (an overloaded machine?)", flush=True)
        samples: dict[str, list] = {k: [] for k in ("matmul", "attention", "numpy", "stdlib", "torch", "rows")}
        verdicts: list[str] = []  # every sample is kept; one that is not accepted is counted and reported
        for i in range(runs):
            samples["numpy"].append(bare_docker_run(NUMPY_IMAGE, "import numpy", stack.runtime))
            samples["stdlib"].append(bare_docker_run(STDLIB_IMAGE, "pass", stack.runtime))
            wait_idle(pids, expected_ready)
            submission_id, started = learner.submit("matmul-by-hand", matmul)
            row = wait_graded(submission_id)
            verdicts.append(row["verdict"] or row["status"])
            samples["matmul"].append(row["graded_at"].timestamp() - started)
            samples["rows"].append(_segments(row, started))
            if i < torch_runs:
                samples["torch"].append(bare_docker_run(NUMPY_IMAGE, "import torch", stack.runtime))
                wait_idle(pids, expected_ready)
                submission_id, started = learner.submit("attention-torch", attention)
                row = wait_graded(submission_id)
                verdicts.append(row["verdict"] or row["status"])
                samples["attention"].append(row["graded_at"].timestamp() - started)
            print(f"  latency {mode} {i + 1}/{runs}: matmul {samples['matmul'][-1]:.3f} s", flush=True)
        stack.stop(worker_name(stack, worker))
        rows = samples.pop("rows")
        report[mode] = {k: dist(v) for k, v in samples.items() if v}
        report[mode]["not_accepted"] = [v for v in verdicts if v != "accepted"]
        report[mode]["segments_p50_s"] = {k: pct([r[k] for r in rows], 0.5) for k in rows[0]}
    return report


def wait_idle(pids: set[int], expected_ready: int) -> None:
    """An idle system before each sample: the worker's pools refilled (warm mode), nothing of ours running."""
    if expected_ready:
        try:
            wait_until(lambda: running_pool_containers(pids) >= expected_ready, 30, interval=0.1)
        except TimeoutError:
            print("  (the pool was not full after 30 s; measuring anyway)", flush=True)


def worker_name(stack: Stack, process) -> str:
    return next(name for name, p in stack.processes.items() if p is process)


def _segments(row: dict, started: float) -> dict:
    """Where one submission's time went, from its own timestamps (seconds)."""
    t = {
        k: row[k].timestamp()
        for k in ("created_at", "started_at", "sandbox_started_at", "sandbox_finished_at", "graded_at")
    }
    return {
        "api (request -> stored and queued)": t["created_at"] - started,
        "queue + claim (stored -> claimed by a worker)": t["started_at"] - t["created_at"],
        "claim -> grader called": t["sandbox_started_at"] - t["started_at"],
        "grader (reference cache, sandbox, verdict)": t["sandbox_finished_at"] - t["sandbox_started_at"],
        "database write (verdict stored)": t["graded_at"] - t["sandbox_finished_at"],
    }


def grader_breakdown(runs: int, runtime: str) -> dict:
    """Inside the grader, one warm matmul-by-hand: where grade()'s time goes (in-process, a pool of 1)."""
    from grader.backends.docker_backend import DockerBackend
    from grader.backends.pool import WarmPool
    from grader.exercise import load_exercise
    from grader.grading import _config, judge_outcome
    from grader.jobs import learner_job, sandbox_kind
    from grader.protocol import job_marker, report_after_marker
    from grader.reference import ExpectedStore

    exercise = load_exercise(ROOT / "exercises" / "matmul-by-hand")
    kind = sandbox_kind(exercise)
    backend = DockerBackend(runtime=runtime or None)
    store = ExpectedStore(Path(tempfile.mkdtemp()))
    store.get(exercise, backend, 0)
    pool = WarmPool(backend, {kind: 1}, background=False)
    pool.create(exercise.limits, kind=kind, preload=exercise.modules).destroy()
    parts: dict[str, list[float]] = {}
    try:
        for _ in range(runs):
            pool.fill_once()
            time.sleep(2.0)  # an idle system: the pooled supervisor has finished starting (it says nothing when ready)
            t0 = time.perf_counter()
            expected = store.get(exercise, backend, 0)
            t1 = time.perf_counter()
            job = learner_job(exercise, expected.packed, exercise.solution)
            marker = job_marker(job)
            t2 = time.perf_counter()
            sandbox = pool.create(exercise.limits, kind=kind, preload=exercise.modules)
            waited = _timed_method(sandbox.inner, "_wait")  # DockerSandbox: exit status + OOM flag, after the report
            chunks = _RecvClock.around(sandbox.inner)
            t3 = time.perf_counter()
            sandbox.feed(job)
            outcome = sandbox.collect()
            t4 = time.perf_counter()
            result = judge_outcome(  # through the exercise's warm host, as a docker grading judges
                exercise,
                expected,
                outcome,
                peaks=_config.peaks(gpu=False, cpus=exercise.limits.cpus),
                marker=marker,
                backend=backend,
            )
            t5 = time.perf_counter()
            sandbox.destroy()
            t6 = time.perf_counter()
            assert sandbox.warm and result.verdict == "accepted", result.message
            cases = sum(sum(c.times) for c in result.cases)
            for name, value in (
                ("reference outputs (cache read)", t1 - t0),
                ("job built (tar of cases + source)", t2 - t1),
                ("pooled container taken (liveness check)", t3 - t2),
                ("feed -> report (supervisor, child start + imports, cases)", t4 - t3),
                ("  of which learner's cases (as timed inside)", cases),
                ("  of which fed -> first byte of the report", chunks.first - t3 if chunks.first else 0.0),
                (
                    "  of which the supervisor's run (runners taken + cases)",
                    _elapsed(report_after_marker(outcome.stdout, marker)),
                ),
                ("  of which first byte -> end of stream (report written, exit)", chunks.last - chunks.first),
                ("  of which waiting for the container's exit + inspect", sum(waited)),
                ("verdict (judge the report)", t5 - t4),
                ("container destroyed (after the verdict; off the learner's path)", t6 - t5),
            ):
                parts.setdefault(name, []).append(value)
    finally:
        pool.stop()
    return {name: statistics.median(values) for name, values in parts.items()}


class _RecvClock:
    """Stands in for a DockerSandbox's attached socket and notes when the report's bytes arrive."""

    def __init__(self, raw):
        self.raw, self.first, self.last = raw, 0.0, 0.0

    @classmethod
    def around(cls, sandbox) -> _RecvClock:
        clock = cls(getattr(sandbox, "raw", None))
        if clock.raw is not None:
            sandbox.raw = clock
        return clock

    def recv(self, size: int) -> bytes:
        data = self.raw.recv(size)
        now = time.perf_counter()
        if data and not self.first:
            self.first = now
        self.last = now
        return data

    def __getattr__(self, name):
        return getattr(self.raw, name)


def _elapsed(report: bytes) -> float:
    """The supervisor's own clock over all phases (one fresh runner child per phase), from its report."""
    import io
    import tarfile

    with tarfile.open(fileobj=io.BytesIO(report), mode="r:") as archive:
        return float(json.load(archive.extractfile("results.json")).get("elapsed_s", 0.0))


def _timed_method(obj, name: str) -> list[float]:
    """Wrap obj.name so each call's duration is appended to the returned list."""
    spent: list[float] = []
    method = getattr(obj, name, None)
    if method is None:
        return spent

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - started)

    setattr(obj, name, timed)
    return spent


# Throughput -------------------------------------------------------------------------------------


def throughput(stack: Stack, count: int, parallelism: int) -> dict:
    from catalog.models import Exercise
    from submissions.services import submission_create

    learner = Learner("http://unused")
    matmul = solution("matmul-by-hand")
    exercise = Exercise.objects.get(slug="matmul-by-hand")

    def bare(n: int, image: str, code: str) -> float:
        started = time.perf_counter()
        with ThreadPoolExecutor(parallelism) as ex:
            list(ex.map(lambda _: bare_docker_run(image, code, stack.runtime), range(n)))
        return n / (time.perf_counter() - started)

    worker = stack.start_worker("worker-throughput", concurrency=parallelism, pool=POOL)
    for _ in range(2 * parallelism):  # reference run and the pools' first demand, outside the clock
        wait_graded(str(submission_create(user=learner.user, exercise=exercise, source=matmul).id))
    before = bare(count // 2, NUMPY_IMAGE, "import numpy")
    started = time.perf_counter()
    cpu_before = cpu_snapshot()
    ids = [str(submission_create(user=learner.user, exercise=exercise, source=matmul).id) for _ in range(count)]
    from submissions.models import Submission

    wait_until(
        lambda: Submission.objects.filter(id__in=ids, status__in=("graded", "error")).count() == count,
        max(600, count * 10),
        interval=0.2,
        what=f"{count} submissions to drain",
    )
    drained = time.perf_counter() - started
    cpu = cpu_breakdown(cpu_before, cpu_snapshot(), count)
    accepted = Submission.objects.filter(id__in=ids, verdict="accepted").count()
    after = bare(count - count // 2, NUMPY_IMAGE, "import numpy")
    stdlib = bare(max(parallelism, count // 2), STDLIB_IMAGE, "pass")
    # The ceiling: one container per submission that does nothing at all, started the grader's way.
    started = time.perf_counter()
    empties = max(parallelism, count // 2)
    cpu_before = cpu_snapshot()
    with ThreadPoolExecutor(parallelism) as ex:
        list(ex.map(lambda _: empty_container_sdk(STDLIB_IMAGE, stack.runtime), range(empties)))
    empty = empties / (time.perf_counter() - started)
    empty_cpu = cpu_breakdown(cpu_before, cpu_snapshot(), empties)
    stack.stop(worker_name(stack, worker))
    floor = statistics.mean([before, after])
    return {
        "submissions": count,
        "parallelism": parallelism,
        "accepted": accepted,
        "drain_s": drained,
        "drain_per_s": count / drained,
        "bare_numpy_per_s_before": before,
        "bare_numpy_per_s_after": after,
        "bare_stdlib_pass_per_s": stdlib,
        "throughput_ratio": (count / drained) / floor,
        "throughput_ratio_vs_stdlib_pass": (count / drained) / stdlib,
        "cpu_ms_per_submission": cpu,
        "empty_container_sdk_per_s": empty,
        "cpu_ms_per_empty_container": empty_cpu,
        "throughput_ceiling_ratio": empty / floor,
    }


# Soak -------------------------------------------------------------------------------------------


def soak(stack: Stack, count: int, warmup: int = 10) -> dict:
    from catalog.models import Exercise
    from submissions.models import Submission
    from submissions.services import submission_create

    learner = Learner("http://unused")
    matmul = solution("matmul-by-hand")
    exercise = Exercise.objects.get(slug="matmul-by-hand")
    worker = stack.start_worker("worker-soak", concurrency=1, pool=POOL)
    for _ in range(warmup):
        wait_graded(str(submission_create(user=learner.user, exercise=exercise, source=matmul).id))
    time.sleep(2)  # the pool refilled: measure in the same state at both ends
    fds_start, rss_start = fds_and_rss(worker.pid)
    ids = []
    for start in range(0, count, 50):  # in batches, so the broker never holds more than 50 of ours
        batch = [
            str(submission_create(user=learner.user, exercise=exercise, source=matmul).id)
            for _ in range(min(50, count - start))
        ]
        wait_until(
            lambda b=batch: Submission.objects.filter(id__in=b, status__in=("graded", "error")).count() == len(b),
            max(600, len(batch) * 20),
            interval=0.2,
            what="a soak batch",
        )
        ids += batch
    time.sleep(2)
    fds_end, rss_end = fds_and_rss(worker.pid)
    pids = set(process_tree(worker.pid))
    stack.stop(worker_name(stack, worker))  # warm shutdown: the pool destroys what waits in it
    time.sleep(1)
    left = sandbox_containers(pids)
    return {
        "submissions": count,
        "graded": Submission.objects.filter(id__in=ids, status="graded").count(),
        "fds_start": fds_start,
        "fds_end": fds_end,
        "rss_start_mb": rss_start,
        "rss_end_mb": rss_end,
        "soak_fd_growth": fds_end - fds_start,
        "soak_rss_growth_mb": rss_end - rss_start,
        "soak_containers_left": len(left),
        "containers_left": left,
    }


# Main -------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes for development")
    parser.add_argument("--only", default="latency,throughput,soak,web", help="comma-separated sections")
    parser.add_argument("--runs", type=int, help="latency samples per mode (default 50; quick 5)")
    parser.add_argument("--torch-runs", type=int, help="attention-torch samples per mode (default 10; quick 2)")
    parser.add_argument("--queued", type=int, help="throughput: submissions queued at once (default 300; quick 20)")
    parser.add_argument("--parallelism", type=int, default=2, help="worker concurrency (a 2-core machine: 2)")
    parser.add_argument("--soak", type=int, help="soak: submissions through one worker (default 1000; quick 30)")
    parser.add_argument("--learners", type=int, help="web: learners (default 10000; quick 1000)")
    parser.add_argument("--submissions", type=int, help="web: submissions (default 500000; quick 20000)")
    parser.add_argument("--web-seconds", type=int, help="web: seconds of load per page (default 20; quick 5)")
    parser.add_argument("--runtime", default="", help="OCI runtime for the sandbox AND the bare floor (e.g. runsc)")
    args = parser.parse_args()
    q = args.quick
    runs = args.runs or (5 if q else 50)
    torch_runs = args.torch_runs if args.torch_runs is not None else (2 if q else 10)
    queued = args.queued or (20 if q else 300)
    soak_n = args.soak or (30 if q else 1000)
    sections = [s.strip() for s in args.only.split(",") if s.strip()]
    RESULTS.mkdir(parents=True, exist_ok=True)
    summary: dict = {
        "quick": q,
        "runtime": args.runtime or "engine default",
        "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
    }
    results: dict = {}

    if {"latency", "throughput", "soak"} & set(sections):
        database = f"tensordojo_bench_stack_{uuid.uuid4().hex[:6]}"
        workdir = Path(tempfile.mkdtemp(prefix="tensordojo-bench-"))
        stack = Stack(postgres_url(database), workdir, runtime=args.runtime, exercises=exercise_root(workdir))
        try:
            stack.django_setup()
            from django.core.management import call_command

            from catalog.services import exercises_sync

            call_command("migrate", verbosity=0)
            exercises_sync(root=stack.exercises)
            # Reference outputs are computed once per exercise version and case pool, as an operator
            # does after deploying (`manage.py exercises warm`): the learner's timings below are steady state.
            print("warming the reference cache (manage.py exercises warm)", flush=True)
            call_command("exercises", "warm", *BENCH_EXERCISES, "--jobs", "2")
            stack.start_redis()
            from config.celery import app

            app.conf.broker_url = stack.env()["CELERY_BROKER_URL"]
            if "latency" in sections:
                url = stack.start_web()
                print(f"latency: {runs} runs per mode ({torch_runs} attention-torch)", flush=True)
                results["latency"] = latency(stack, url, runs, torch_runs, warmup=2)
                results["latency"]["grader_breakdown_p50_s"] = grader_breakdown(min(runs, 10), args.runtime)
                stack.stop("web")
            if "throughput" in sections:
                print(f"throughput: {queued} queued at once, parallelism {args.parallelism}", flush=True)
                results["throughput"] = throughput(stack, queued, args.parallelism)
            if "soak" in sections:
                print(f"soak: {soak_n} submissions through one worker", flush=True)
                results["soak"] = soak(stack, soak_n)
        finally:
            stack.close()
            from django.db import connections

            connections.close_all()
            drop_postgres_database(database)
    if "web" in sections:
        from bench.web import web_load

        learners = args.learners or (1000 if q else 10_000)
        submissions = args.submissions or (20_000 if q else 500_000)
        print(f"web: {learners} learners, {submissions} submissions (PostgreSQL), wrk", flush=True)
        results["web"] = web_load(learners, submissions, seconds=args.web_seconds or (5 if q else 20))

    if set(sections) != {"latency", "throughput", "soak", "web"} and (RESULTS / "summary.json").exists():
        # A partial run (--only) updates its own keys; each section says when and how it was measured.
        summary = {**json.loads((RESULTS / "summary.json").read_text()), **summary}
    summary.setdefault("sections", {})
    for name in results:
        summary["sections"][name] = {"quick": q, "at": summary["started"], "runtime": summary["runtime"]}
    summary.update(keys_of(results))
    for name, value in results.items():
        (RESULTS / f"{name}.json").write_text(json.dumps(value, indent=2, default=str) + "\n")
    (RESULTS / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print_table(summary, results)


def keys_of(results: dict) -> dict:
    keys: dict = {}
    if "latency" in results:
        warm, cold = results["latency"]["warm"], results["latency"]["cold"]
        keys["latency_p50_ratio"] = warm["matmul"]["p50"] / warm["numpy"]["p50"]
        keys["latency_p95_ratio"] = warm["matmul"]["p95"] / warm["numpy"]["p95"]
        keys["latency_p50_ratio_vs_stdlib_pass"] = warm["matmul"]["p50"] / warm["stdlib"]["p50"]
        keys["latency_cold_p50_ratio"] = cold["matmul"]["p50"] / cold["numpy"]["p50"]
        keys["latency_p50_s"] = warm["matmul"]["p50"]
        keys["latency_p95_s"] = warm["matmul"]["p95"]
        if "attention" in warm:
            keys["torch_latency_p50_ratio"] = warm["attention"]["p50"] / warm["torch"]["p50"]
            keys["torch_latency_p95_ratio"] = warm["attention"]["p95"] / warm["torch"]["p95"]
    if "throughput" in results:
        keys["throughput_ratio"] = results["throughput"]["throughput_ratio"]
        keys["throughput_ratio_vs_stdlib_pass"] = results["throughput"]["throughput_ratio_vs_stdlib_pass"]
        keys["throughput_ceiling_ratio"] = results["throughput"]["throughput_ceiling_ratio"]
    if "soak" in results:
        for key in ("soak_containers_left", "soak_fd_growth", "soak_rss_growth_mb"):
            keys[key] = results["soak"][key]
    if "web" in results:
        keys["web_p95_ms"] = results["web"]["web_p95_ms"]
    return keys


def print_table(summary: dict, results: dict) -> None:
    print()
    print(f"{'metric':44} {'value':>10}  target")
    for key, value in summary.items():
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            continue
        op, bound = TARGETS.get(key, ("", None))
        met = ""
        if bound is not None:
            ok = {"<=": value <= bound, ">=": value >= bound, "<": value < bound, "==": value == bound}[op]
            met = f"{op} {bound}  {'met' if ok else 'NOT met'}"
        print(f"{key:44} {value:10.3f}  {met}")
    if "latency" in results:
        lat = results["latency"]
        print()
        print(f"{'latency (seconds)':44} {'p50':>8} {'p95':>8}   n")
        for mode in ("cold", "warm"):
            for name, label in (
                ("matmul", "matmul-by-hand submit -> graded"),
                ("numpy", "bare docker run: import numpy"),
                ("stdlib", "bare docker run (stdlib image): pass"),
                ("attention", "attention-torch submit -> graded"),
                ("torch", "bare docker run: import torch"),
            ):
                d = lat[mode].get(name)
                if d:
                    print(f"{mode + ' ' + label:44} {d['p50']:8.3f} {d['p95']:8.3f} {d['n']:3d}")
            if lat[mode]["not_accepted"]:
                print(f"  {mode}: samples not accepted (kept in the figures): {', '.join(lat[mode]['not_accepted'])}")
        print()
        print("one warm matmul-by-hand, click to verdict (p50 of each segment, seconds)")
        for name, value in lat["warm"]["segments_p50_s"].items():
            print(f"  {name:62} {value:7.3f}")
        print("inside the grader (in-process, pooled container, p50)")
        for name, value in lat["grader_breakdown_p50_s"].items():
            print(f"  {name:62} {value:7.3f}")
    if "throughput" in results:
        t = results["throughput"]
        print()
        print(
            f"throughput: {t['submissions']} drained in {t['drain_s']:.1f} s ({t['drain_per_s']:.2f}/s, "
            f"{t['accepted']} accepted); bare import numpy {t['bare_numpy_per_s_before']:.2f}/s before, "
            f"{t['bare_numpy_per_s_after']:.2f}/s after; bare stdlib pass {t['bare_stdlib_pass_per_s']:.2f}/s"
        )
        print(
            f"ceiling: empty containers through the SDK {t['empty_container_sdk_per_s']:.2f}/s "
            f"= {t['throughput_ceiling_ratio']:.3f} x the floor (no grading can drain faster)"
        )
        for key, title in (
            ("cpu_ms_per_submission", "drained submission"),
            ("cpu_ms_per_empty_container", "empty container"),
        ):
            print(f"CPU per {title} (ms, whole machine, by process)")
            for name, ms in t.get(key, {}).items():
                print(f"  {name:62} {ms:7.1f}")
    if "soak" in results:
        s = results["soak"]
        print(
            f"soak: {s['graded']}/{s['submissions']} graded; fds {s['fds_start']} -> {s['fds_end']}; "
            f"rss {s['rss_start_mb']:.1f} -> {s['rss_end_mb']:.1f} MB; containers left {s['soak_containers_left']}"
        )
    if "web" in results:
        print()
        for page, d in results["web"]["pages"].items():
            print(f"web {page:40} p50 {d['p50_ms']:8.1f} ms  p95 {d['p95_ms']:8.1f} ms  {d['requests']} requests")
    print(f"\nwritten: {RESULTS}/summary.json and one JSON per section")


if __name__ == "__main__":
    main()
