"""Expected outputs: the reference solution, run in its own sandbox, cached per version and seed.

The reference never enters a learner's container. Its outputs are computed
once per (exercise version, pool seed, sandbox image id) in a separate run and
kept on disk as the validated report. Keying by the image id means a rebuilt
harness or interpreter recomputes them without anyone bumping a number.
Workers on several machines each compute the same deterministic cache.

Timed cases are the exception: their inputs are drawn fresh for every submission
(``with_timed``), so their reference outputs are computed for that submission, in a
run of the timed cases only; nothing about them is cached unless a caller names the
seed (a deterministic check).
"""

from __future__ import annotations

import os
import secrets
import tempfile
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from grader.backends.base import Backend, SandboxUnavailable, run_job
from grader.exercise import ExerciseFolder
from grader.gpu import runs_on_gpu
from grader.jobs import (
    DEFAULT_POOL_SIZE,
    PackedCases,
    case_seed,
    reference_job,
    reference_limits,
    sandbox_kind,
)
from grader.protocol import RecordStatus, ReportError, job_marker, parse_report, report_after_marker


def image_key(exercise: ExerciseFolder, backend: Backend) -> str:
    """The sandbox image an exercise's reference runs in, and whether on a GPU: part of every key of
    its kept outputs (pool entries here, timed draws in grader/timed_stock.py), so a rebuilt image
    recomputes them."""
    image = backend.image_id(sandbox_kind(exercise))
    mode = "" if runs_on_gpu(exercise, backend) else "-cpu"  # a GPU exercise graded without a GPU
    return f"{image}{mode}"


class ReferenceBroken(Exception):
    """The reference solution itself fails a case: the exercise needs fixing."""


@dataclass(frozen=True)
class Expected:
    """What the reference did for one case."""

    status: RecordStatus  # RETURNED | RAISED
    value: object = None
    values: tuple | None = None  # timed cases: one per repetition
    error_type: str = ""
    error_message: str = ""
    times: tuple[float, ...] | None = None
    gaps: tuple[float, ...] | None = None  # GPU: outside time minus CUDA-event time per repetition (ours)


@dataclass
class ExpectedSet:
    packed: PackedCases
    by_id: dict[str, Expected]
    version: str
    reports: tuple = ()  # (reference report, the case ids it answers or None): what an exercise host judges by

    @property
    def pool_index(self) -> int:
        return self.packed.pool_index


@dataclass
class TimedDraw:
    """One submission's timed cases, packed with its pool entry's other cases (``packed``: what the
    learner's job is built from); ``resolve()`` gives the expected outputs of them all."""

    store: ExpectedStore
    exercise: ExerciseFolder
    backend: Backend
    base: ExpectedSet
    packed: PackedCases
    only: list[str]  # the timed case ids the reference still has to run ([]: nothing to run)
    key: tuple[str, int] | None  # where a named seed's outputs are kept (None: fresh, never kept)
    resolved: ExpectedSet | None = None

    def resolve(self) -> ExpectedSet:
        """The expected outputs, the timed ones computed now (a reference run of those cases only)."""
        if self.resolved is None:
            self.resolved = self.store._resolve(self)
        return self.resolved


def default_cache_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "var" / "cache"


class ExpectedStore:
    """Disk-backed cache of reference outputs, keyed by exercise version, pool seed and image id."""

    def __init__(self, root: Path | None = None, *, pool_size: int = DEFAULT_POOL_SIZE, pool_secret: str = ""):
        if pool_size < 1:
            raise ValueError("pool_size must be at least 1")
        self.root = Path(root or default_cache_dir()) / "expected"
        self.pool_size = pool_size
        self.pool_secret = pool_secret
        self._memory: dict[str, ExpectedSet] = {}
        self._timed: dict[tuple[str, int], ExpectedSet] = {}  # named timed seeds only (checks), never fresh ones
        self._lock = threading.Lock()

    def draw(self) -> int:
        """A pool index for one submission, drawn at random."""
        return secrets.randbelow(self.pool_size)

    def key(self, exercise: ExerciseFolder, backend: Backend, pool_index: int) -> str:
        return f"{exercise.slug}-{exercise.version}-p{pool_index}of{self.pool_size}-{image_key(exercise, backend)}"

    def get(self, exercise: ExerciseFolder, backend: Backend, pool_index: int | None = None) -> ExpectedSet:
        """The expected outputs of one pool seed's visible and hidden cases (the seed drawn at random unless
        given); a run with timed cases gets theirs from ``draw_timed``."""
        index = self.draw() if pool_index is None else pool_index % self.pool_size
        key = self.key(exercise, backend, index)
        with self._lock:
            if key in self._memory:
                return self._memory[key]
        from grader.exercise_host import Draw, host_for

        draw = Draw(index, case_seed(exercise, index, self.pool_secret), on_gpu=runs_on_gpu(exercise, backend))
        packed = host_for(exercise, backend).cases(draw)  # cases.py runs in the exercise's host, not here
        cases = packed.cases
        untimed = [packed.ids[c.name] for c in cases if not c.is_timed]  # timed ones: per submission (draw_timed)
        path = self.root / f"{key}.tar"
        stream = path.read_bytes() if path.is_file() else None
        if stream is None:
            stream = self.run_reference(exercise, packed, backend, untimed)
        expected = replace(interpret_report(exercise, packed, stream, untimed), reports=((stream, untimed),))
        if not path.is_file():
            _atomic_write(path, stream)
        with self._lock:
            self._memory[key] = expected
        return expected

    def draw_timed(
        self, exercise: ExerciseFolder, backend: Backend, expected: ExpectedSet, seed: int | None = None
    ) -> TimedDraw:
        """``expected`` with its timed cases built from ``seed`` (fresh randomness when None); their
        reference outputs are computed by ``TimedDraw.resolve`` (after the learner's run)."""
        key = (self.key(exercise, backend, expected.pool_index), seed) if seed is not None else None
        if not any(case.is_timed for case in expected.packed.cases):
            return TimedDraw(self, exercise, backend, expected, expected.packed, [], None, resolved=expected)
        with self._lock:
            if key in self._timed:
                cached = self._timed[key]
                return TimedDraw(self, exercise, backend, expected, cached.packed, [], key, resolved=cached)
        from grader.exercise_host import host_for, with_draw

        timed_seed = secrets.randbits(64) if seed is None else seed
        packed = host_for(exercise, backend).cases(with_draw(expected.packed, timed_seed))  # same case ids
        only = [packed.ids[c.name] for c in packed.cases if c.is_timed]
        return TimedDraw(self, exercise, backend, expected, packed, only, key)

    def _resolve(self, draw: TimedDraw) -> ExpectedSet:
        stream = self.run_reference(draw.exercise, draw.packed, draw.backend, draw.only)
        timed = interpret_report(draw.exercise, draw.packed, stream, draw.only)
        result = ExpectedSet(
            packed=draw.packed,
            by_id={**draw.base.by_id, **timed.by_id},
            version=draw.base.version,
            reports=(*draw.base.reports, (stream, draw.only)),
        )
        if draw.key is not None:
            with self._lock:
                self._timed[draw.key] = result
        return result

    def missing(self, exercise: ExerciseFolder, backend: Backend) -> list[int]:
        """The pool seeds whose reference outputs are not on disk yet."""
        return [i for i in range(self.pool_size) if not (self.root / f"{self.key(exercise, backend, i)}.tar").is_file()]

    def warm(self, exercise: ExerciseFolder, backend: Backend) -> int:
        """Compute every pool seed's reference outputs now (once per version and image), not on a
        learner's submission. Returns how many reference runs it took."""
        missing = self.missing(exercise, backend)
        for index in missing:
            self.get(exercise, backend, index)
        return len(missing)

    def run_reference(
        self, exercise: ExerciseFolder, packed: PackedCases, backend: Backend, only: list[str] | None = None
    ) -> bytes:
        limits = reference_limits(exercise)
        job = reference_job(exercise, packed, only)
        outcome = run_job(backend, job, limits, gpu=exercise.gpu, kind=sandbox_kind(exercise), preload=exercise.modules)
        if outcome.timed_out or outcome.oom_killed or outcome.exit_code != 0:
            raise SandboxUnavailable(
                f"reference run for {exercise.slug} failed (exit {outcome.exit_code}, "
                f"timed out {outcome.timed_out}): {outcome.stderr[-500:].decode(errors='replace')}"
            )
        try:  # the cache keeps the bare report
            return report_after_marker(outcome.stdout, job_marker(job))
        except ReportError as exc:
            raise SandboxUnavailable(f"reference report unreadable: {exc}") from exc


def interpret_report(
    exercise: ExerciseFolder, packed: PackedCases, stream: bytes, only: list[str] | None = None
) -> ExpectedSet:
    try:
        report = parse_report(stream, max_bytes=len(stream) + 1)
    except ReportError as exc:
        raise SandboxUnavailable(f"reference report unreadable: {exc}") from exc
    if report.import_error:
        raise ReferenceBroken(f"{exercise.slug}: solution.py fails to import: {report.import_error}")
    if report.harness_errors:
        raise SandboxUnavailable(f"harness error in the reference run: {report.harness_errors[0][:500]}")
    by_id = {}
    for case_id, case in packed.by_id().items():
        if only is not None and case_id not in only:
            continue
        record = report.cases.get(case_id)
        if record is None:
            raise ReferenceBroken(f"{exercise.slug}: no reference result for case {case.name!r}")
        failed = record.failed_call
        if record.status == RecordStatus.RETURNED and failed is None:
            if case.expect_error:
                raise ReferenceBroken(
                    f"{exercise.slug}: case {case.name!r} expects {case.expect_error}, but the reference returned"
                )
            values = tuple(call.value for call in record.calls) if case.is_timed else None
            by_id[case_id] = Expected(
                RecordStatus.RETURNED,
                value=record.calls[0].value,
                values=values,
                times=record.times or None,
                gaps=tuple(
                    o - d for o, d in zip(record.times, record.device_times, strict=False) if d is not None and d <= o
                )
                or None,
            )
        elif record.status == RecordStatus.RAISED and case.expect_error and failed and failed.error:
            if failed.error.type != case.expect_error:
                raise ReferenceBroken(
                    f"{exercise.slug}: case {case.name!r}: reference raised "
                    f"{failed.error.type}, the case expects {case.expect_error}"
                )
            by_id[case_id] = Expected(
                RecordStatus.RAISED, error_type=failed.error.type, error_message=failed.error.message
            )
        else:
            raise ReferenceBroken(f"{exercise.slug}: the reference fails case {case.name!r}: {record}")
    return ExpectedSet(packed=packed, by_id=by_id, version=exercise.version)


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temp, path)
