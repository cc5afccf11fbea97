"""Grade one submission: the one function behind `manage.py grade`, the Celery task and the Run button.

``grade()`` orchestrates: source checks first (size, syntax, forbidden constructs: no
container needed), then the expected outputs (the cached reference run for the
submission's pool seed; the timed cases' inputs are drawn fresh for this submission: a
draw prepared ahead (grader/timed_stock.py) or, with the stock empty, one whose outputs the
reference computes after the learner's run), then one fresh sandbox for the learner's code,
then the report, read once into typed records (grader.protocol), then the verdict of the one judge
(grader/judge.py), whose words are grader/feedback.py's.

Configuration is explicit: the caller passes a backend and a store, or
``configure(GraderConfig(...))`` once (the platform builds it from settings).
Nothing here reads the environment.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from grader.backends import Backend, get_backend
from grader.backends.base import RunOutcome, run_job
from grader.exercise import ExerciseFolder
from grader.exercise_host import ExerciseBroken, host_for
from grader.jobs import DEFAULT_POOL_SIZE, learner_job, sandbox_kind
from grader.judge import RunEnd
from grader.protocol import Report, ReportError, job_marker, parse_report, report_after_marker
from grader.reference import ExpectedSet, ExpectedStore, ReferenceBroken, TimedDraw
from grader.results import GradingResult, Verdict
from grader.source_checks import check_syntax, find_forbidden
from grader.timed_stock import timed_draw
from grader.timing import (
    CPU_PEAK_BYTES,
    CPU_PEAK_FLOPS,
    GPU_PEAK_BYTES,
    GPU_PEAK_FLOPS,
    Peaks,
)

log = logging.getLogger(__name__)


class InternalGradingError(Exception):
    """Grading failed on our side after retries; the learner is not to blame."""


@dataclass(frozen=True)
class GraderConfig:
    """Everything the grader needs from its host, built once (the platform builds it from settings)."""

    backend: str = "docker"
    image: str | None = None
    stdlib_image: str | None = None
    triton_image: str | None = None
    gpu: bool = False  # a GPU worker: GPU exercises are timed on the device
    runtime: str | None = None  # e.g. "runsc" (gVisor)
    cache_dir: Path | None = None
    pool_size: int = DEFAULT_POOL_SIZE
    pool_secret: str = ""
    cpu_peak_flops: float = CPU_PEAK_FLOPS
    cpu_peak_bytes: float = CPU_PEAK_BYTES
    gpu_peak_flops: float = GPU_PEAK_FLOPS
    gpu_peak_bytes: float = GPU_PEAK_BYTES

    def make_backend(self) -> Backend:
        if self.backend == "docker":
            return get_backend(
                "docker",
                image=self.image,
                stdlib_image=self.stdlib_image,
                triton_image=self.triton_image,
                gpu=self.gpu,
                runtime=self.runtime,
            )
        return get_backend(self.backend)

    def make_store(self) -> ExpectedStore:
        return ExpectedStore(self.cache_dir, pool_size=self.pool_size, pool_secret=self.pool_secret)

    def peaks(self, *, gpu: bool, cpus: float) -> Peaks:
        return Peaks.for_run(
            gpu=gpu,
            cpus=cpus,
            cpu_flops=self.cpu_peak_flops,
            cpu_bytes=self.cpu_peak_bytes,
            gpu_flops=self.gpu_peak_flops,
            gpu_bytes=self.gpu_peak_bytes,
        )


_config = GraderConfig()
_default_store: ExpectedStore | None = None
_lock = threading.Lock()


def configure(config: GraderConfig) -> None:
    """Set the configuration used where a caller passes no backend or store."""
    global _config, _default_store
    with _lock:
        _config, _default_store = config, None


def current_config() -> GraderConfig:
    return _config


def expected_store() -> ExpectedStore:
    global _default_store
    with _lock:
        if _default_store is None:
            _default_store = _config.make_store()
        return _default_store


def grade(
    exercise: ExerciseFolder,
    source: str,
    *,
    backend: Backend | None = None,
    store: ExpectedStore | None = None,
    attempts: int = 2,
    visible_only: bool = False,
    pool_index: int | None = None,
    timed_seed: int | None = None,
    config: GraderConfig | None = None,
) -> GradingResult:
    """Grade ``source`` against ``exercise``.

    ``visible_only`` runs the visible cases only (the Run button): nothing hidden
    enters the sandbox. ``pool_index`` picks the seed of the hidden cases (drawn
    at random when None). ``timed_seed`` picks the timed cases' inputs (fresh
    randomness when None, as for every learner's submission; a check that must
    be deterministic names one). Raises SandboxUnavailable when the
    infrastructure is down (the caller retries later) and InternalGradingError
    when a run keeps failing on our side.
    """
    config = config or _config
    started = time.monotonic()
    early = _check_source(exercise, source)
    if early is not None:
        early.execution_time = time.monotonic() - started
        return early
    backend = backend or config.make_backend()
    store = store or expected_store()
    if visible_only and pool_index is None:
        pool_index = 0  # visible cases are the same for every seed: reuse one cached reference
    try:
        expected = store.get(exercise, backend, pool_index)
        timed = None if visible_only else timed_draw(store, exercise, backend, expected, seed=timed_seed)
    except (ReferenceBroken, ExerciseBroken) as exc:
        raise InternalGradingError(f"the exercise is broken: {exc}") from exc
    if timed is not None and not timed.only:  # no timed case, a stocked draw, or a named seed's outputs kept
        expected, timed = timed.resolve(), None
    peaks = config.peaks(gpu=exercise.gpu, cpus=exercise.limits.cpus)
    job = learner_job(exercise, timed.packed if timed else expected.packed, source, visible_only=visible_only)
    marker = job_marker(job)
    problem = "unknown"
    for attempt in range(attempts):
        outcome = run_job(
            backend, job, exercise.limits, gpu=exercise.gpu, kind=sandbox_kind(exercise), preload=exercise.modules
        )
        if timed is not None:
            # After the learner's run, never beside it: a reference run sharing the CPU would slow the
            # learner's timed calls. After, not before: a warm pooled sandbox goes to the learner.
            expected, timed = _resolved(timed), None
        try:
            result = judge_outcome(
                exercise, expected, outcome, peaks=peaks, visible_only=visible_only, marker=marker, backend=backend
            )
        except ExerciseBroken as exc:
            raise InternalGradingError(f"the exercise is broken: {exc}") from exc
        except ReportError as exc:
            problem = f"unreadable sandbox report: {exc}"
            log.warning("grading %s attempt %d: %s", exercise.slug, attempt + 1, problem)
            continue
        if result is None:
            problem = f"sandbox failed: exit {outcome.exit_code}, {outcome.stderr[-300:].decode(errors='replace')}"
            log.warning("grading %s attempt %d: %s", exercise.slug, attempt + 1, problem)
            continue
        result.execution_time = time.monotonic() - started
        return result
    raise InternalGradingError(problem)


def _resolved(timed: TimedDraw) -> ExpectedSet:
    try:
        return timed.resolve()
    except ReferenceBroken as exc:
        raise InternalGradingError(f"the exercise is broken: {exc}") from exc


def judge_outcome(
    exercise: ExerciseFolder,
    expected: ExpectedSet,
    outcome: RunOutcome,
    *,
    peaks: Peaks | None = None,
    visible_only: bool = False,
    marker: str | None = None,
    backend: Backend | None = None,
) -> GradingResult | None:
    """Read one sandbox run's report and hand it to the judge; None when the run failed on our side.

    ``marker``: the job's report marker; only what follows it on stdout is our report.
    ``backend``: the run's backend, which picks the exercise's host (grader.exercise_host): with
    docker the judge, the custom checks and the diagnoses run in the exercise's own sandbox.
    Raises ReportError where the report is broken in what only our code writes, ExerciseBroken
    where the exercise's own code failed.
    """
    end = RunEnd(
        timed_out=outcome.timed_out,
        oom_killed=outcome.oom_killed,
        stdout_overflow=outcome.stdout_overflow,
        backend=outcome.backend,
        unsafe=outcome.unsafe,
    )
    report = read_report(outcome, exercise.limits.result_max_bytes, marker)
    peaks = peaks or _config.peaks(gpu=exercise.gpu, cpus=exercise.limits.cpus)
    # The stream the report was read from, for a host that reads it again on its side of the pipe.
    stream = report_after_marker(outcome.stdout, marker) if report is not None and marker else outcome.stdout
    return host_for(exercise, backend).judge(
        expected, report, stream if report is not None else None, end=end, peaks=peaks, visible_only=visible_only
    )


def read_report(outcome: RunOutcome, result_max_bytes: int, marker: str | None) -> Report | None:
    """The run's report, or None where it left none a limit explains (then the judge says which)."""
    if not outcome.stdout or outcome.stdout_overflow:
        return None
    try:
        return parse_report(outcome.stdout, result_max_bytes + (8 << 20), marker=marker)
    except ReportError:
        if outcome.timed_out or outcome.oom_killed:
            return None
        raise


def _early(exercise: ExerciseFolder, verdict: Verdict, message: str) -> GradingResult:
    return GradingResult(
        exercise.slug, exercise.version, verdict, message, 0.0, exercise.points, limits=exercise.limits.as_dict()
    )


def _check_source(exercise: ExerciseFolder, source: str) -> GradingResult | None:
    size = len(source.encode("utf-8", errors="replace"))
    if size > exercise.max_source_bytes:
        return _early(
            exercise,
            Verdict.TOO_LARGE,
            f"Your file is {size // 1024} KiB; the limit is {exercise.max_source_bytes // 1024} KiB.",
        )
    problem = check_syntax(source)
    if problem:
        return _early(exercise, Verdict.SYNTAX_ERROR, f"Syntax error on line {problem.line}: {problem.message}")
    forbidden = find_forbidden(source, exercise.forbidden)
    if forbidden:
        lines = "; ".join(f"line {p.line}: {p.message}" for p in forbidden[:5])
        return _early(exercise, Verdict.FORBIDDEN_CALL, f"Forbidden in this exercise — {lines}")
    return None
