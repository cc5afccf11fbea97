"""The job that goes into a sandbox and the report that comes back, read once into typed records.

Into the sandbox: a tar with ``job.json`` (cases, phases, limits, modules and
the forbidden rules as data), ``submission.py`` and one ``<name>.npy`` per
argument array. The supervisor keeps it in memory and gives the learner's
process one call's arguments at a time (grader/harness/supervisor.py).

Out of it: a tar with ``results.json`` and the ``.npy`` blobs the learner's
functions returned, named ``<case>.<call>.<blob>.npy``. The supervisor writes
the report, but what a call returned or raised comes from the learner's
process. ``parse_report`` reads it all once:

- the structure the supervisor owns (statuses, causes, times, phases) must be
  exactly right, or ReportError (our failure);
- the learner's content (value trees, blobs, exception records) that does not
  read back becomes a call of status INVALID, blamed on the learner.

Nothing is unpickled; each blob's header is checked against its length before
NumPy allocates anything.

``parse_report`` is total: on any bytes it returns a ``Report`` or raises
``ReportError``, nothing else. It reads the tar with its own strict reader (only
the plain files the supervisor writes), results.json with ``frames.loads_strict``
(the same JSON reader, and the same depth bound plus the report's own nesting,
as the supervisor's reader of a runner's frames), and each blob with ``npy.check``.
Whatever the supervisor accepted from a runner therefore reads back here; what
does not is the learner's (INVALID), and a ReportError can only come from a
report the supervisor did not write.
"""

from __future__ import annotations

import builtins
import io
import json
import math
import re
import secrets
import tarfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from grader.harness import npy
from grader.harness.contract import REPORT_FORMAT, CallStatus, RecordStatus
from grader.harness.forbidden import ForbiddenRules
from grader.harness.frames import MAX_DEPTH, REPORT_PREFIX, JSONRefused, loads_strict
from grader.limits import Limits
from grader.values import BadValue, rebuild

MAX_REPORT_JSON = 8 << 20
# results.json > cases > case > calls > call: a call record is a runner's result frame one level down four.
# The supervisor refuses a frame deeper than MAX_DEPTH, so nothing it writes is deeper than this.
REPORT_NESTING = 4
REPORT_DEPTH = MAX_DEPTH + REPORT_NESTING
TAR_BLOCK = 512
BLOB_FILE = re.compile(r"^(c\d{1,6})\.(\d{1,4})\.([A-Za-z0-9]{1,16})\.npy$")
CASE_ID = re.compile(r"^c\d{1,6}$")


class ReportError(Exception):
    """The sandbox's report is malformed where only our code writes it: ours to fix."""


CALL_STATUSES = frozenset(RecordStatus(status) for status in CallStatus)


class ArgumentPacker:
    """Turns Python arguments into the JSON tree + arrays of the job."""

    def __init__(self, prefix: str = "a") -> None:
        self.prefix = prefix
        self.arrays: dict[str, np.ndarray] = {}

    def pack(self, value):
        if isinstance(value, np.ndarray):
            return {"$array": self._add(value)}
        if isinstance(value, TensorArg):
            return {"$tensor": self._add(value.data), "dtype": value.dtype, "device": value.device}
        if isinstance(value, FixtureArg):
            return {"$fn": value.name, "kwargs": {k: self.pack(v) for k, v in value.kwargs.items()}}
        if isinstance(value, tuple):
            return {"$tuple": [self.pack(v) for v in value]}
        if isinstance(value, list):
            return [self.pack(v) for v in value]
        if isinstance(value, dict):
            return {"$dict": {str(k): self.pack(v) for k, v in value.items()}}
        if isinstance(value, float) and not math.isfinite(value):
            return {"$float": repr(value)}
        if isinstance(value, np.generic):
            return value.item()
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        raise TypeError(f"cannot send {type(value).__name__} into the sandbox")

    def _add(self, array: np.ndarray) -> str:
        name = f"{self.prefix}{len(self.arrays)}"
        self.arrays[name] = np.ascontiguousarray(array)
        return name


@dataclass(frozen=True)
class TensorArg:
    """A PyTorch tensor argument, built inside the sandbox from a NumPy array."""

    data: np.ndarray
    dtype: str = "float32"
    device: str = "cpu"


@dataclass(frozen=True)
class FixtureArg:
    """A callable argument built inside the sandbox (see harness/fixtures.py)."""

    name: str
    kwargs: dict = field(default_factory=dict)


def build_job(
    *,
    source: str,
    cases: list[dict],
    phases: list[dict],
    arrays: Mapping[str, np.ndarray],
    limits: Limits,
    modules: list[str],
    rules: ForbiddenRules,
) -> bytes:
    """The tar stream a sandbox reads on stdin."""
    job = {
        "format": REPORT_FORMAT,
        "report_marker": secrets.token_hex(16),
        "cases": cases,
        "phases": phases,
        "limits": limits.as_dict(),
        "modules": modules,
        "rules": rules.as_dict(),
    }
    files = {"job.json": json.dumps(job, allow_nan=False).encode(), "submission.py": source.encode("utf-8")}
    for name, array in arrays.items():
        buffer = io.BytesIO()
        np.save(buffer, array, allow_pickle=False)
        files[f"{name}.npy"] = buffer.getvalue()
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o444
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


# -- the report, typed ---------------------------------------------------------


@dataclass(frozen=True)
class ErrorRecord:
    """An exception as the learner's process described it: every field is untrusted text."""

    type: str
    message: str
    forbidden: bool
    lines: tuple[int, ...]
    family: tuple[str, ...] = ()  # built-in exception classes it derives from, most specific first


@dataclass(frozen=True)
class CallRecord:
    """One call of a learner's function: its value (rebuilt) or what went wrong."""

    status: RecordStatus
    value: Any = None
    error: ErrorRecord | None = None
    message: str = ""  # UNSUPPORTED: why the value cannot be compared (our encoder's words)


@dataclass(frozen=True)
class CaseRecord:
    """One case: the calls made (one, or one per timed repetition) and the outside times."""

    status: RecordStatus
    calls: tuple[CallRecord, ...] = ()
    times: tuple[float, ...] = ()
    cause: str = ""  # ABORTED / NOT_RUN: why
    device_times: tuple[float | None, ...] = ()  # CUDA-event figures from the learner's process (GPU only)
    tampered: bool = False  # the learner's process replaced torch.cuda.Event or synchronize

    @property
    def first(self) -> CallRecord | None:
        return self.calls[0] if self.calls else None

    @property
    def failed_call(self) -> CallRecord | None:
        return next((c for c in self.calls if c.status != RecordStatus.RETURNED), None)


@dataclass(frozen=True)
class PhaseRecord:
    output: str = ""
    output_bytes: int = 0
    output_truncated: bool = False
    restarts: int = 0


@dataclass(frozen=True)
class Report:
    """A validated sandbox report."""

    cases: Mapping[str, CaseRecord]
    phases: Mapping[str, PhaseRecord]
    import_error: ErrorRecord | None = None
    limits_hit: tuple[str, ...] = ()
    harness_errors: tuple[str, ...] = ()
    elapsed_s: float = 0.0


def job_marker(job: bytes) -> str:
    """The per-run marker a job carries (job.json is the first member of the tar we built)."""
    with tarfile.open(fileobj=io.BytesIO(job), mode="r:") as archive:
        member = archive.next()
        return json.loads(archive.extractfile(member).read())["report_marker"]


class ReportEnd:
    """Spots, in a sandbox's growing stdout, that our whole report has arrived.

    The grader can then judge without waiting for the container to exit (which costs
    tens of milliseconds of teardown). Only what follows the run's marker counts, and
    the supervisor writes that after every learner process is dead; the report is a tar
    stream, complete at its first all-zero block. Anything unexpected answers "not yet",
    and the caller reads on until the stream ends, as it would without this.
    """

    BLOCK = 512

    def __init__(self, marker: str):
        self.needle = REPORT_PREFIX + marker.encode() + b"\n"
        self.searched = 0
        self.offset: int | None = None  # where the next tar header starts, once the marker is found
        self.done = False

    def seen(self, stream: bytes | bytearray) -> bool:
        if self.done:
            return True
        if self.offset is None:
            at = stream.find(self.needle, max(0, self.searched - len(self.needle)))
            self.searched = len(stream)
            if at < 0:
                return False
            self.offset = at + len(self.needle)
        while len(stream) >= self.offset + self.BLOCK:
            header = bytes(stream[self.offset : self.offset + self.BLOCK])
            if not any(header):
                self.done = True
                return True
            try:
                size = int(header[124:136].rstrip(b"\0 ").decode("ascii") or "0", 8)
            except ValueError:  # not a header we wrote (or a size in base 256): wait for the stream's end
                return False
            self.offset += self.BLOCK + -(-size // self.BLOCK) * self.BLOCK
        return False


def report_after_marker(stream: bytes, marker: str) -> bytes:
    """The supervisor's report: what follows the run's marker on the sandbox's stdout.

    Under some runtimes (gVisor) a same-uid process can open /proc/1/fd/1 and write on
    PID 1's stdout. The marker is random per run and lives only in the job, in PID 1's
    memory, and PID 1 writes it after every learner process is dead: bytes before it are
    the learner's and are ignored, and a report without it was never written by us.
    """
    start = stream.find(REPORT_PREFIX + marker.encode() + b"\n")
    if start < 0:
        raise ReportError("the sandbox's output holds no report of ours")
    return stream[start + len(REPORT_PREFIX) + len(marker) + 1 :]


def parse_report(stream: bytes, max_bytes: int, *, marker: str | None = None) -> Report:
    """Validate the sandbox's stdout once. ReportError where our own structure is broken.

    ``marker``: the run's report marker (``job_marker``); without it ``stream`` is the bare
    report (the reference cache keeps it so).
    """
    if len(stream) > max_bytes:
        raise ReportError("report larger than the result limit")
    if not stream:
        raise ReportError("the sandbox produced no report")
    if marker is not None:
        stream = report_after_marker(stream, marker)
    data, blobs = None, {}
    for name, content in _tar_members(stream):
        if name == "results.json":
            if len(content) > MAX_REPORT_JSON:
                raise ReportError("results.json too large")
            try:
                data = loads_strict(content, REPORT_DEPTH, bounded_ints=False)  # a big one is judged: not comparable
            except JSONRefused as exc:
                raise ReportError(f"unreadable results.json: {exc}") from exc
            continue
        match = BLOB_FILE.match(name)
        if not match:
            raise ReportError(f"unexpected file {name!r} in the report")
        case_id, index, blob = match.group(1), int(match.group(2)), match.group(3)
        blobs.setdefault((case_id, index), {})[blob] = content
    if data is None:
        raise ReportError("the report has no results.json")
    return _report(data, blobs)


def _tar_members(stream: bytes):
    """(name, content) of each member of the tar the supervisor writes, or ReportError.

    Only what ``tarfile`` writes for a plain file with a short ASCII name (no long-name or
    pax records, no links, no directories), read without ``tarfile``: a header block with
    a valid checksum, then the content padded to a block, up to the first all-zero block.
    """
    offset = 0
    while True:
        header = stream[offset : offset + TAR_BLOCK]
        if len(header) < TAR_BLOCK:
            raise ReportError(f"unreadable report: {'truncated header' if header else 'no end block'}")
        if not any(header):
            return
        stored = _octal(header[148:156])
        if stored != sum(header[:148]) + 8 * 32 + sum(header[156:]):
            raise ReportError("unreadable report: a tar header's checksum is wrong")
        if header[156:157] not in (b"0", b"\0") or any(header[345:500]):
            raise ReportError("unexpected tar member: not a plain file with a short name")
        raw_name = header[:100].split(b"\0", 1)[0]
        if not _printable(raw_name):
            raise ReportError(f"unexpected tar member {raw_name[:100]!r}")
        size = _octal(header[124:136])
        start = offset + TAR_BLOCK
        if start + size > len(stream):
            raise ReportError("unreadable report: a tar member is cut short")
        yield raw_name.decode("ascii"), stream[start : start + size]
        offset = start + -(-size // TAR_BLOCK) * TAR_BLOCK


def _printable(name: bytes) -> bool:
    return bool(name) and all(32 < byte < 127 for byte in name)


def _octal(field: bytes) -> int:
    digits = field.rstrip(b"\0 ").lstrip(b" ")
    if not digits or len(digits) > 11 or not all(48 <= byte <= 55 for byte in digits):
        raise ReportError("unreadable report: a tar number is not octal")
    return int(digits, 8)


def _report(data, blobs: dict) -> Report:
    _expect(isinstance(data, dict), "results.json is not an object")
    _expect(data.get("format") == REPORT_FORMAT, "results.json has another format")
    cases, phases = data.get("cases"), data.get("phases")
    _expect(isinstance(cases, dict) and isinstance(phases, dict), "cases or phases missing")
    limits_hit, harness_errors = data.get("limits_hit", []), data.get("harness_errors", [])
    _expect(_strings(limits_hit) and _strings(harness_errors), "limits_hit or harness_errors malformed")
    elapsed = data.get("elapsed_s", 0.0)
    _expect(_number(elapsed), "elapsed_s malformed")
    import_error = data.get("import_error")
    return Report(
        cases=MappingProxyType({str(k): _case(k, v, blobs) for k, v in cases.items()}),
        phases=MappingProxyType({str(k): _phase(v) for k, v in phases.items()}),
        import_error=None if import_error is None else (_error(import_error) or ErrorRecord("", "", False, ())),
        limits_hit=tuple(limits_hit),
        harness_errors=tuple(harness_errors),
        elapsed_s=float(elapsed),
    )


def _case(case_id, record, blobs: dict) -> CaseRecord:
    _expect(isinstance(case_id, str) and CASE_ID.match(case_id), f"case id {case_id!r} malformed")
    _expect(isinstance(record, dict), f"case {case_id}: not an object")
    try:
        status = RecordStatus(record.get("status"))
    except ValueError:
        raise ReportError(f"case {case_id}: no valid status") from None
    if status in (RecordStatus.ABORTED, RecordStatus.NOT_RUN):
        cause = record.get("cause", "")
        _expect(isinstance(cause, str), f"case {case_id}: cause malformed")
        return CaseRecord(status, cause=cause)
    calls = record.get("calls")
    _expect(isinstance(calls, list) and calls, f"case {case_id}: calls missing")
    times = record.get("times", [])
    _expect(isinstance(times, list) and all(_number(t) and t >= 0 for t in times), f"case {case_id}: invalid timings")
    parsed = tuple(_call(call, blobs.get((case_id, index), {})) for index, call in enumerate(calls))
    if any(call.status == RecordStatus.INVALID for call in parsed):
        status = RecordStatus.INVALID
    device, tampered = record.get("device_times", []), record.get("tampered", False)
    _expect(
        isinstance(device, list) and all(d is None or (_number(d) and d >= 0) for d in device), "device_times malformed"
    )
    _expect(isinstance(tampered, bool), f"case {case_id}: tampered malformed")
    return CaseRecord(
        status,
        calls=parsed,
        times=tuple(float(t) for t in times),
        device_times=tuple(None if d is None else float(d) for d in device),
        tampered=tampered,
    )


def _call(call, blobs: dict[str, bytes]) -> CallRecord:
    if not isinstance(call, dict):
        return CallRecord(RecordStatus.INVALID)
    try:
        status = RecordStatus(call.get("status"))
    except ValueError:
        return CallRecord(RecordStatus.INVALID)
    if status not in CALL_STATUSES:
        return CallRecord(RecordStatus.INVALID)
    if status == RecordStatus.RETURNED:
        try:
            arrays = {name: _load_array(blob) for name, blob in blobs.items()}
            return CallRecord(status, value=rebuild(call.get("value"), arrays))
        except (BadValue, npy.NpyError):  # the only errors either raises
            return CallRecord(RecordStatus.INVALID)
    if status == RecordStatus.RAISED:
        error = _error(call.get("error"))
        return CallRecord(status, error=error) if error else CallRecord(RecordStatus.INVALID)
    if status == RecordStatus.UNSUPPORTED:
        message = call.get("message", "")
        return (
            CallRecord(status, message=message[:300]) if isinstance(message, str) else CallRecord(RecordStatus.INVALID)
        )
    return CallRecord(status)


def _error(error) -> ErrorRecord | None:
    """An exception record, or None if it is malformed."""
    if not isinstance(error, dict):
        return None
    kind, message, forbidden, lines = (error.get(k) for k in ("type", "message", "forbidden", "lines"))
    if not (isinstance(kind, str) and isinstance(message, str) and isinstance(forbidden, bool)):
        return None
    if not (isinstance(lines, list) and all(type(n) is int and 0 < n < 10**7 for n in lines)):
        return None
    family = error.get("family", [])
    if not (isinstance(family, list) and len(family) <= 16 and all(isinstance(name, str) for name in family)):
        return None
    known = tuple(name for name in family if name in BUILTIN_EXCEPTIONS)  # names this Python does not know: dropped
    return ErrorRecord(clean_text(kind[:100]), clean_text(message[:2000]), forbidden, tuple(lines[-10:]), known)


BUILTIN_EXCEPTIONS = frozenset(
    name for name, value in vars(builtins).items() if isinstance(value, type) and issubclass(value, BaseException)
)


def _phase(phase) -> PhaseRecord:
    _expect(isinstance(phase, dict), "a phase is not an object")
    output, size = phase.get("output", ""), phase.get("output_bytes", 0)
    truncated, restarts = phase.get("output_truncated", False), phase.get("restarts", 0)
    _expect(isinstance(output, str) and type(size) is int and isinstance(truncated, bool), "a phase is malformed")
    _expect(type(restarts) is int, "a phase is malformed")
    return PhaseRecord(clean_text(output), size, truncated, restarts)


def clean_text(text: str) -> str:
    """Learner text made storable anywhere: no NUL characters, no lone surrogates."""
    return text.replace("\x00", "\ufffd").encode("utf-8", errors="replace").decode("utf-8")


def _load_array(content: bytes) -> np.ndarray:
    """A plain numeric array, or NpyError: npy.check accepts only what numpy.load reads back as one."""
    descr, shape = npy.check(content)  # the header must match the bytes before NumPy allocates anything
    try:
        array = np.load(io.BytesIO(content), allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:  # NumPy's own reader, behind the check: the fuzzer finds none
        raise npy.NpyError(f"numpy could not read an array the check accepted: {exc}") from exc
    if not isinstance(array, np.ndarray) or array.dtype.str != descr or array.shape != shape:
        raise npy.NpyError("an output array is not the one its header declares")
    return array


def _expect(condition: bool, problem: str) -> None:
    if not condition:
        raise ReportError(f"results.json: {problem}")


def _strings(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
