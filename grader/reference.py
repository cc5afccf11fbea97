"""Expected outputs: the reference solution, run in its own sandbox, cached per version.

The reference never enters a learner's container; its outputs are computed
once per exercise version (content hash) in a separate run and kept on disk
as the validated report. Workers on several machines each compute the same
deterministic cache for themselves.
"""

from __future__ import annotations

import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from grader.backends.base import Backend, SandboxUnavailable, run_job
from grader.exercise import Exercise
from grader.harness.version import HARNESS_VERSION
from grader.jobs import PackedCases, pack_cases, reference_job, reference_limits
from grader.protocol import ReportError, parse_report
from grader.values import rebuild


class ReferenceBroken(Exception):
    """The reference solution itself fails a case: the exercise needs fixing."""


@dataclass
class Expected:
    """What the reference did for one case."""

    status: str  # "returned" | "raised"
    value: object = None
    values: list | None = None  # timed cases: one per repetition
    error_type: str = ""
    error_message: str = ""
    times: list[float] | None = None


@dataclass
class ExpectedSet:
    packed: PackedCases
    by_id: dict[str, Expected]
    version: str


def default_cache_dir() -> Path:
    root = os.environ.get("TENSORDOJO_CACHE_DIR")
    return Path(root) if root else Path(__file__).resolve().parent.parent / "var" / "cache"


class ExpectedStore:
    """Disk-backed cache of reference outputs, keyed by exercise version."""

    def __init__(self, root: Path | None = None):
        self.root = (root or default_cache_dir()) / "expected"
        self._memory: dict[str, ExpectedSet] = {}
        self._lock = threading.Lock()

    def key(self, exercise: Exercise, backend: Backend) -> str:
        return f"{exercise.slug}-{exercise.version}-h{HARNESS_VERSION}-{backend.name}"

    def get(self, exercise: Exercise, backend: Backend) -> ExpectedSet:
        key = self.key(exercise, backend)
        with self._lock:
            if key in self._memory:
                return self._memory[key]
        packed = pack_cases(exercise.build_cases())
        path = self.root / f"{key}.tar"
        stream = path.read_bytes() if path.is_file() else None
        if stream is None:
            stream = self._run_reference(exercise, packed, backend)
        expected = _interpret(exercise, packed, stream)
        if not path.is_file():
            _atomic_write(path, stream)
        with self._lock:
            self._memory[key] = expected
        return expected

    def _run_reference(self, exercise: Exercise, packed: PackedCases, backend: Backend) -> bytes:
        limits = reference_limits(exercise)
        outcome = run_job(backend, reference_job(exercise, packed), limits, gpu=exercise.gpu)
        if outcome.timed_out or outcome.oom_killed or outcome.exit_code != 0:
            raise SandboxUnavailable(
                f"reference run for {exercise.slug} failed (exit {outcome.exit_code}, "
                f"timed out {outcome.timed_out}): {outcome.stderr[-500:].decode(errors='replace')}"
            )
        return outcome.stdout


def _interpret(exercise: Exercise, packed: PackedCases, stream: bytes) -> ExpectedSet:
    try:
        report = parse_report(stream, max_bytes=len(stream) + 1)
    except ReportError as exc:
        raise SandboxUnavailable(f"reference report unreadable: {exc}") from exc
    data = report.data
    if data.get("import_error"):
        raise ReferenceBroken(f"{exercise.slug}: solution.py fails to import: {data['import_error']}")
    if data.get("harness_errors"):
        raise SandboxUnavailable(f"harness error in the reference run: {data['harness_errors'][0][:500]}")
    by_id = {}
    for case_id, case in packed.by_id().items():
        record = data["cases"].get(case_id)
        if record is None:
            raise ReferenceBroken(f"{exercise.slug}: no reference result for case {case.name!r}")
        status = record["status"]
        if status == "returned":
            values = [rebuild(v, report.arrays) for v in record.get("values", [])] or None
            by_id[case_id] = Expected(
                "returned", value=rebuild(record.get("value"), report.arrays), values=values, times=record.get("times")
            )
        elif status == "raised" and case.expect_error:
            error = record.get("error") or {}
            if error.get("type") != case.expect_error:
                raise ReferenceBroken(
                    f"{exercise.slug}: case {case.name!r}: reference raised "
                    f"{error.get('type')}, the case expects {case.expect_error}"
                )
            by_id[case_id] = Expected(
                "raised", error_type=error.get("type", ""), error_message=error.get("message", "")
            )
        else:
            raise ReferenceBroken(f"{exercise.slug}: the reference fails case {case.name!r}: {record}")
        if case.expect_error and status != "raised":
            raise ReferenceBroken(
                f"{exercise.slug}: case {case.name!r} expects {case.expect_error}, but the reference returned a value"
            )
    return ExpectedSet(packed=packed, by_id=by_id, version=exercise.version)


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temp, path)
