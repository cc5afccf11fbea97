"""The child process: imports the submission and runs cases. It decides nothing.

Forked by the supervisor for each group of cases. It reports, case by case,
what the learner's functions returned or raised (and, for timed cases, how
long each call took) as frames on a pipe. Whether that is right is decided
outside the sandbox.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
import traceback

import codec
import fixtures
import numpy as np
from frames import write_frame

SUBMISSION_MODULE = "submission"
MAX_MESSAGE = 2_000


class ForbiddenCallError(Exception):
    """Raised when the submission calls something the exercise forbids."""


def _forbid(dotted: str, modules: dict) -> None:
    """Replace ``a.b.c`` — and every other module attribute bound to the same object — by a refusal."""
    root, *path = dotted.split(".")
    owner = modules.get(root)
    if owner is None or not path:
        return
    for part in path[:-1]:
        owner = getattr(owner, part, None)
        if owner is None:
            return
    name = path[-1]
    original = getattr(owner, name, None)
    if original is None:
        return

    def refuse(*args, **kwargs):
        raise ForbiddenCallError(f"{dotted} is not allowed in this exercise")

    targets = [owner] + [m for key, m in list(sys.modules.items()) if key.split(".")[0] == root and m is not None]
    for target in targets:
        try:
            if getattr(target, name, None) is original:
                setattr(target, name, refuse)
        except (AttributeError, TypeError):
            pass  # C types cannot be patched; the source check outside still applies.


def describe_exception(exc: BaseException, submission_path: str) -> dict:
    """Type, message and only the learner's own traceback lines."""
    frames = [
        {"line": f.lineno, "function": f.name, "code": (f.line or "")[:200]}
        for f in traceback.extract_tb(exc.__traceback__)
        if f.filename == submission_path
    ]
    try:
        message = str(exc)
    except Exception:  # a learner-defined __str__ may itself fail
        message = "<message could not be read>"
    return {
        "type": type(exc).__name__[:100],
        "module": (type(exc).__module__ or "")[:100],
        "message": message[:MAX_MESSAGE],
        "forbidden": isinstance(exc, ForbiddenCallError),
        "traceback": frames[-10:],
    }


def import_submission(path: str):
    spec = importlib.util.spec_from_file_location(SUBMISSION_MODULE, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[SUBMISSION_MODULE] = module
    spec.loader.exec_module(module)
    return module


def _sync(torch) -> None:
    if torch is not None and torch.cuda.is_available():
        torch.cuda.synchronize()


def run_cases(job: dict, arrays, case_ids: list[str], result_fd: int, torch=None) -> None:
    """Entry point of the child; never returns normally (the supervisor forks it)."""
    submission_path = os.path.join(job["dir"], "submission.py")
    modules = {"numpy": np, "np": np}
    if torch is not None:
        modules["torch"] = torch
    for dotted in job.get("forbidden_runtime", []):
        _forbid(dotted, modules)

    try:
        module = import_submission(submission_path)
    except BaseException as exc:  # noqa: BLE001 - anything the import raises is the learner's
        write_frame(result_fd, {"type": "import_error", "error": describe_exception(exc, submission_path)})
        return

    cases = {c["id"]: c for c in job["cases"]}
    for case_id in case_ids:
        case = cases[case_id]
        write_frame(result_fd, {"type": "start", "case": case_id})
        function = getattr(module, case["entry"], None)
        if not callable(function):
            write_frame(result_fd, {"type": "result", "case": case_id, "status": "missing_entry"})
            continue
        _run_one(case, function, arrays, result_fd, submission_path, torch)
    write_frame(result_fd, {"type": "done"})


def _run_one(case, function, arrays, result_fd, submission_path, torch) -> None:
    timing = case.get("timing")
    arg_sets = [case["args"]] if not timing else timing["arg_sets"]
    warmup = timing.get("warmup", 0) if timing else 0
    encoder = codec.Encoder(prefix=f"{case['id']}_", torch=torch)
    values, times = [], []
    for index, tree in enumerate(arg_sets[:warmup] + arg_sets):
        args = codec.decode(tree, arrays, fixtures, torch)
        kwargs = codec.decode(case.get("kwargs") or {"$dict": {}}, arrays, fixtures, torch)
        try:
            _sync(torch)
            started = time.perf_counter_ns()
            value = function(*args, **kwargs)
            _sync(torch)
            elapsed = time.perf_counter_ns() - started
        except BaseException as exc:  # noqa: BLE001 - the learner's exception is the record
            write_frame(
                result_fd,
                {
                    "type": "result",
                    "case": case["id"],
                    "status": "raised",
                    "error": describe_exception(exc, submission_path),
                },
            )
            return
        if index < warmup:
            continue
        try:
            values.append(encoder.encode(value))
        except codec.EncodeError as exc:
            write_frame(result_fd, {"type": "result", "case": case["id"], "status": "unsupported", "message": str(exc)})
            return
        times.append(elapsed / 1e9)
    for name, blob in encoder.blobs.items():
        write_frame(result_fd, {"type": "blob", "name": name}, blob)
    record = {"type": "result", "case": case["id"], "status": "returned", "value": values[0]}
    if timing:
        record["values"] = values
        record["times"] = times
    write_frame(result_fd, record)
