"""The job that goes into a sandbox and the report that comes back.

Into the sandbox: a tar with ``job.json`` (cases, limits), ``submission.py``
and ``arrays.npz``. Out of it: a tar with ``results.json`` and ``.npy`` blobs.
The report is untrusted: it is size-capped, read with ``allow_pickle=False``
and checked against a schema here before anything else looks at it.
"""

from __future__ import annotations

import io
import json
import re
import tarfile
from dataclasses import dataclass, field

import numpy as np

from grader.limits import Limits

MAX_REPORT_JSON = 8 << 20
BLOB_NAME = re.compile(r"^[A-Za-z0-9_]{1,64}\.npy$")
CASE_STATUSES = {"returned", "raised", "missing_entry", "unsupported", "aborted", "not_run"}


class ReportError(Exception):
    """The sandbox's report is malformed: ours to fix or theirs to have broken."""


class ArgumentPacker:
    """Turns Python arguments into the JSON tree + arrays of the job."""

    def __init__(self) -> None:
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
        if isinstance(value, float) and not np.isfinite(value):
            return {"$float": repr(value)}
        if isinstance(value, np.generic):
            return value.item()
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        raise TypeError(f"cannot send {type(value).__name__} into the sandbox")

    def _add(self, array: np.ndarray) -> str:
        name = f"a{len(self.arrays)}"
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
    arrays: dict,
    limits: Limits,
    modules: list[str],
    forbidden_runtime: list[str],
) -> bytes:
    """The tar stream a sandbox reads on stdin."""
    job = {
        "version": 1,
        "cases": cases,
        "phases": phases,
        "limits": limits.as_dict(),
        "modules": modules,
        "forbidden_runtime": forbidden_runtime,
    }
    npz = io.BytesIO()
    np.savez(npz, **arrays)
    files = {
        "job.json": json.dumps(job, allow_nan=False).encode(),
        "submission.py": source.encode("utf-8"),
        "arrays.npz": npz.getvalue(),
    }
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o444
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


@dataclass
class Report:
    """A validated sandbox report: plain JSON data and plain numeric arrays."""

    data: dict
    arrays: dict[str, np.ndarray]


def parse_report(stream: bytes, max_bytes: int) -> Report:
    """Validate the sandbox's stdout. Raises ReportError on anything unexpected."""
    if len(stream) > max_bytes:
        raise ReportError("report larger than the result limit")
    if not stream:
        raise ReportError("the sandbox produced no report")
    data, arrays = None, {}
    try:
        with tarfile.open(fileobj=io.BytesIO(stream), mode="r:") as archive:
            for member in archive:
                if not member.isfile():
                    raise ReportError(f"unexpected tar member {member.name!r}")
                content = archive.extractfile(member).read()
                if member.name == "results.json":
                    if len(content) > MAX_REPORT_JSON:
                        raise ReportError("results.json too large")
                    data = json.loads(content)
                elif BLOB_NAME.match(member.name):
                    arrays[member.name[:-4]] = _load_array(content)
                else:
                    raise ReportError(f"unexpected file {member.name!r} in the report")
    except (tarfile.TarError, ValueError, EOFError) as exc:
        raise ReportError(f"unreadable report: {exc}") from exc
    if data is None:
        raise ReportError("the report has no results.json")
    _validate(data)
    return Report(data=data, arrays=arrays)


def _load_array(content: bytes) -> np.ndarray:
    try:
        array = np.load(io.BytesIO(content), allow_pickle=False)
    except ValueError as exc:
        raise ReportError(f"an output array is not a plain .npy: {exc}") from exc
    if not isinstance(array, np.ndarray) or array.dtype.kind not in "biuf":
        raise ReportError("an output array is not numeric")
    return array


def _validate(data) -> None:
    if not isinstance(data, dict):
        raise ReportError("results.json is not an object")
    for key, kind in (("cases", dict), ("phases", dict), ("limits_hit", list)):
        if not isinstance(data.get(key), kind):
            raise ReportError(f"results.json: {key} missing or of the wrong type")
    for case_id, record in data["cases"].items():
        if not isinstance(record, dict) or record.get("status") not in CASE_STATUSES:
            raise ReportError(f"results.json: case {case_id!r} has no valid status")
        times = record.get("times")
        if times is not None and not (
            isinstance(times, list) and all(isinstance(t, (int, float)) and t >= 0 for t in times)
        ):
            raise ReportError(f"results.json: case {case_id!r} has invalid timings")
    if data.get("import_error") is not None and not isinstance(data["import_error"], dict):
        raise ReportError("results.json: import_error is not an object")
