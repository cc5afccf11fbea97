"""The exercise host: the only way a grading reaches an exercise's own code.

An exercise's ``cases.py`` is instructor code: it builds the cases, may define custom
checks (``check=``, ``error_message_check=``) and lists the diagnoses. A grading needs it
twice: to build the packed cases of a draw (a pool seed's visible and hidden cases, or a
submission's timed ones) and to judge the learner's report (the judge, the checks, the
diagnoses). ``ExerciseHost`` offers exactly those two calls, with data in and data out:

- ``cases(draw)``: the draw's ``PackedCases``;
- ``judge(expected, report, ...)``: the ``GradingResult`` (None: the run failed on our side).

Two hosts implement it. ``InProcessHost`` runs cases.py in this process (the process
backend used by fast tests, the offline CLI, ``exercises check`` inside its own exercise
sandbox). The docker backend's host (grader/exercise_host_docker.py) keeps one warm
container per exercise version running ``serve`` below; this process then never imports
cases.py. Its ``PackedCases`` hold data-only cases (``host_only_case``): the arguments the
learner's job carries, the case's settings, and no callable of the exercise's.

The wire (both directions): one frame of grader.harness.frames (``>II`` lengths, a JSON
header, a payload) per message; the header's ``blobs`` cut the payload; the message's
JSON body is the blob ``body``, the rest are ``.npy`` arrays or report streams.
"""

from __future__ import annotations

import io
import json
import math
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Protocol

import numpy as np

from grader.cases import Case, Timing
from grader.exercise import ExerciseFolder
from grader.harness import npy
from grader.harness.frames import FrameError, encode_frame, loads_strict, split_blobs
from grader.jobs import PackedCases, pack_cases, pool_cases_from_seed, timed_cases
from grader.judge import RunEnd
from grader.protocol import FixtureArg, Report, TensorArg, parse_report
from grader.results import CaseResult, CaseStatus, GradingResult, Verdict
from grader.timing import Peaks

MAX_CASES = 10_000
MAX_TEXT = 20_000
MAX_TREE_DEPTH = 30  # what loads_strict accepts (32) less the body's own nesting


class ExerciseBroken(Exception):
    """The exercise's own code failed, or its host answered what our protocol does not allow.

    The exercise needs fixing: neither the learner's fault nor our infrastructure's.
    """


@dataclass(frozen=True)
class Draw:
    """Which cases to build: a pool entry (its index and seed) and, for a submission, its timed seed.

    Data only: the seeds are integers the worker derived (the pool secret never leaves it).
    """

    pool_index: int
    pool_seed: int
    on_gpu: bool = True
    timed_seed: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


class ExerciseHost(Protocol):
    """Where an exercise's own code runs; every call may raise ExerciseBroken (the exercise's fault)."""

    def cases(self, draw: Draw) -> PackedCases:
        """The draw's cases, packed: visible ones from the exercise's seed, hidden and timed from the pool
        seed, timed ones from ``draw.timed_seed`` when it is set."""
        ...

    def judge(
        self,
        expected,
        report: Report | None,
        stream: bytes | None,
        *,
        end: RunEnd,
        peaks: Peaks,
        visible_only: bool,
    ) -> GradingResult | None:
        """The verdict on one learner run (``report``: parsed here already; ``stream``: its bytes)."""
        ...

    def close(self) -> None: ...


class InProcessHost:
    """Runs the exercise's code in this process: today's behaviour, for the process backend and offline use."""

    def __init__(self, exercise: ExerciseFolder, *, keep: int = 16):
        self.exercise = exercise
        self._built: OrderedDict[tuple, PackedCases] = OrderedDict()
        self._keep = keep
        self._lock = threading.Lock()

    def cases(self, draw: Draw) -> PackedCases:
        key = (draw.pool_index, draw.pool_seed, draw.on_gpu, draw.timed_seed)
        with self._lock:
            if key in self._built:
                self._built.move_to_end(key)
                return self._built[key]
        cases = pool_cases_from_seed(self.exercise, draw.pool_seed, on_gpu=draw.on_gpu)
        if draw.timed_seed is not None:
            fresh = timed_cases(self.exercise, draw.timed_seed)
            cases = [fresh[c.name] if c.is_timed else c for c in cases]  # same order, so the same case ids
        packed = pack_cases(cases, pool_index=draw.pool_index, origin=draw)
        with self._lock:
            self._built[key] = packed
            while len(self._built) > self._keep:
                self._built.popitem(last=False)
        return packed

    def judge(self, expected, report, stream, *, end, peaks, visible_only):
        from grader.judge import judge

        return judge(self.exercise, expected, report, end=end, peaks=peaks, visible_only=visible_only)

    def judge_streams(
        self, draw: Draw, refs: list[tuple[bytes, list[str] | None]], stream: bytes | None, **options
    ) -> GradingResult | None:
        """``judge`` from data only (what the host's container receives): the draw, the reference reports
        and the learner's report bytes."""
        from grader.reference import ExpectedSet
        from grader.reference import interpret_report as interpret

        packed = self.cases(draw)
        by_id: dict = {}
        for ref, only in refs:
            by_id.update(interpret(self.exercise, packed, ref, only).by_id)
        expected = ExpectedSet(packed=packed, by_id=by_id, version=self.exercise.version)
        report = parse_report(stream, len(stream) + 1) if stream else None
        return self.judge(expected, report, stream, **options)

    def close(self) -> None:
        self._built.clear()


def in_process_host(exercise: ExerciseFolder) -> InProcessHost:
    """A host over this very ExerciseFolder (a fresh one: a caller's variant of an exercise, e.g. another
    seed or limits, must be judged as it is; cases.py itself is imported once per version, grader.exercise)."""
    return InProcessHost(exercise)


def host_for(exercise: ExerciseFolder, backend) -> ExerciseHost:
    """The host a grading on ``backend`` uses: a warm exercise sandbox for docker, this process otherwise."""
    inner = backend
    while inner is not None and getattr(inner, "name", "") == "docker" and hasattr(inner, "backend"):
        inner = inner.backend  # the warm pool wraps the docker backend
    if getattr(inner, "name", "") == "docker" and hasattr(inner, "client"):
        from grader.exercise_host_docker import docker_host

        return docker_host(exercise, inner)
    return in_process_host(exercise)


# -- the wire ------------------------------------------------------------------


def message(body: dict, blobs: dict[str, bytes] | None = None) -> bytes:
    """One frame: the JSON ``body`` as the blob ``body``, then ``blobs`` in order."""
    parts = {"body": json.dumps(body, allow_nan=False, separators=(",", ":")).encode(), **(blobs or {})}
    header = {"blobs": [[name, len(data)] for name, data in parts.items()]}
    return encode_frame(header, sum(len(d) for d in parts.values())) + b"".join(parts.values())


def read_message(meta: dict, payload: bytes, *, request: bool = False) -> tuple[dict, dict[str, bytes]]:
    """A frame's body and blobs, or ExerciseBroken (untrusted: the exercise's code shares the host's process).

    ``request``: the worker's request, read in the host: its seeds are 64-bit unsigned.
    """
    try:
        blobs = split_blobs(meta, payload, _blob_name)
        body = loads_strict(blobs.pop("body"), bounded_ints=not request)
    except (FrameError, KeyError, ValueError) as exc:
        raise ExerciseBroken(f"the exercise host's answer is unreadable: {str(exc)[:200]}") from None
    if not isinstance(body, dict):
        raise ExerciseBroken("the exercise host's answer is not an object")
    return body, blobs


def _blob_name(name: str) -> bool:
    return len(name) <= 16 and name.isascii() and name.isalnum()


def array_bytes(array: np.ndarray) -> bytes:
    out = io.BytesIO()
    np.save(out, np.ascontiguousarray(array), allow_pickle=False)
    return out.getvalue()


# What the host sends for a case besides its arguments: settings only, no callable.
CASE_FIELDS = {
    "name": str,
    "entry": str,
    "visible": bool,
    "points": float,
    "rtol": (float, None),
    "atol": (float, None),
    "strict_dtype": bool,
    "allow_lists": bool,
    "sign_invariant_axis": (int, None),
    "expect_error": (str, None),
    "explain": str,
    "check": bool,  # whether it has a custom check (it runs in the host)
    "error_message_check": bool,
    "timed": bool,
    "flops": float,
    "bytes_moved": float,
}


def cases_answer(packed: PackedCases) -> bytes:
    """In the host: the packed cases as data (their settings, the job's argument trees, the arrays)."""
    cases = []
    for case, job_case in zip(packed.cases, packed.job_cases, strict=True):
        cases.append(
            {
                "name": case.name,
                "entry": case.entry,
                "visible": case.visible,
                "points": case.points,
                "rtol": case.rtol,
                "atol": case.atol,
                "strict_dtype": case.strict_dtype,
                "allow_lists": case.allow_lists,
                "sign_invariant_axis": case.sign_invariant_axis,
                "expect_error": case.expect_error,
                "explain": case.explain,
                "check": case.check is not None,
                "error_message_check": case.error_message_check is not None,
                "timed": case.is_timed,
                "flops": float(case.timing.flops) if case.timing else 0.0,
                "bytes_moved": float(case.timing.bytes_moved) if case.timing else 0.0,
                "args": job_case["args"],
                "kwargs": job_case["kwargs"],
                "timing": job_case.get("timing"),
            }
        )
    arrays = {name: array_bytes(array) for name, array in packed.arrays.items()}
    return message({"ok": True, "cases": cases}, arrays)


def host_only(*_args, **_kwargs):
    """Stands for an exercise's own check in a data-only case: that check runs in the exercise host only."""
    raise RuntimeError("an exercise's own check runs in its exercise host, never in this process")


def cases_from_answer(body: dict, blobs: dict[str, bytes], draw: Draw) -> PackedCases:
    """In the worker: the host's cases as data-only ``Case`` values, packed again by our own packer.

    Every field is checked against its type and bound; the argument trees are read back with
    the packer's own vocabulary only, and every array through the total ``.npy`` check.
    Raises ExerciseBroken on anything else.
    """
    from grader.protocol import _load_array

    raw = body.get("cases")
    _need(isinstance(raw, list) and 0 < len(raw) <= MAX_CASES, "cases is not a list of cases")
    arrays = {}
    for name, blob in blobs.items():
        try:
            arrays[name] = _load_array(blob)
        except npy.NpyError as exc:
            raise ExerciseBroken(f"the exercise host sent an unreadable array: {str(exc)[:200]}") from None
    cases, names = [], set()
    for item in raw:
        _need(isinstance(item, dict), "a case is not an object")
        settings = {name: _field(item, name, kind) for name, kind in CASE_FIELDS.items()}
        _need(settings["name"] not in names and settings["points"] >= 0, "case names repeat or points are negative")
        names.add(settings["name"])
        args = _tree(item.get("args"), arrays)
        kwargs = _tree(item.get("kwargs"), arrays)
        _need(isinstance(args, tuple) and isinstance(kwargs, dict), "a case's arguments are not a tuple and a dict")
        timing = None
        if settings.pop("timed"):
            spec = item.get("timing")
            _need(isinstance(spec, dict), "a timed case has no timing")
            reps, warmup = (_tree_list(spec.get(key), arrays) for key in ("reps", "warmup"))
            timing = Timing(
                arg_sets=reps, warmup_sets=warmup, flops=settings["flops"], bytes_moved=settings["bytes_moved"]
            )
        check, message_check = settings.pop("check"), settings.pop("error_message_check")
        del settings["flops"], settings["bytes_moved"]
        cases.append(
            Case(
                **settings,
                args=args,
                kwargs=kwargs,
                timing=timing,
                check=host_only if check else None,
                error_message_check=host_only if message_check else None,
            )
        )
    return pack_cases(cases, pool_index=draw.pool_index, origin=draw)


def _need(condition: bool, problem: str) -> None:
    if not condition:
        raise ExerciseBroken(f"the exercise host's cases are malformed: {problem}")


def _field(item: dict, name: str, kind):
    value = item.get(name)
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if value is None and None in kinds:
        return None
    if float in kinds and type(value) in (int, float) and math.isfinite(value):
        return float(value)
    if int in kinds and type(value) is int:
        return value
    if str in kinds and type(value) is str and len(value) <= MAX_TEXT:
        return value
    if bool in kinds and type(value) is bool:
        return value
    raise ExerciseBroken(f"the exercise host's cases are malformed: {name} is not {kinds}")


def _tree_list(value, arrays) -> tuple[tuple, ...]:
    _need(isinstance(value, list) and len(value) <= MAX_CASES, "a timing's argument sets are not a list")
    sets = tuple(_tree(v, arrays) for v in value)
    _need(all(isinstance(s, tuple) for s in sets), "a timing's argument set is not a tuple")
    return sets


def _tree(tree, arrays: dict[str, np.ndarray], depth: int = 0):
    """An argument tree as grader.protocol.ArgumentPacker writes it, read back (ExerciseBroken otherwise)."""
    _need(depth <= MAX_TREE_DEPTH, "an argument nests too deeply")
    if tree is None or type(tree) in (bool, int, float, str):
        return tree
    if isinstance(tree, list):
        return [_tree(v, arrays, depth + 1) for v in tree]
    _need(isinstance(tree, dict) and len(tree) >= 1, "an argument is not one of ours")
    if "$array" in tree and len(tree) == 1:
        return _array(tree["$array"], arrays)
    if "$tensor" in tree and set(tree) == {"$tensor", "dtype", "device"}:
        dtype, device = tree["dtype"], tree["device"]
        _need(type(dtype) is str and type(device) is str and len(dtype) + len(device) < 64, "a tensor's dtype")
        return TensorArg(_array(tree["$tensor"], arrays), dtype, device)
    if "$fn" in tree and set(tree) == {"$fn", "kwargs"}:
        _need(type(tree["$fn"]) is str and isinstance(tree["kwargs"], dict), "a fixture argument")
        return FixtureArg(tree["$fn"][:200], {str(k): _tree(v, arrays, depth + 1) for k, v in tree["kwargs"].items()})
    if "$tuple" in tree and len(tree) == 1 and isinstance(tree["$tuple"], list):
        return tuple(_tree(v, arrays, depth + 1) for v in tree["$tuple"])
    if "$dict" in tree and len(tree) == 1 and isinstance(tree["$dict"], dict):
        return {k: _tree(v, arrays, depth + 1) for k, v in tree["$dict"].items()}
    if "$float" in tree and len(tree) == 1 and tree["$float"] in ("nan", "inf", "-inf"):
        return float(tree["$float"])
    raise ExerciseBroken("the exercise host's cases are malformed: an argument is not one of ours")


def _array(name, arrays: dict[str, np.ndarray]) -> np.ndarray:
    _need(isinstance(name, str) and name in arrays, "an argument names a missing array")
    return arrays[name]


def result_to_wire(result: GradingResult | None) -> dict | None:
    return None if result is None else asdict(result)


def result_from_wire(data) -> GradingResult | None:
    """The host's verdict, every field checked (ExerciseBroken otherwise)."""
    if data is None:
        return None
    bad = ExerciseBroken("the exercise host's verdict is malformed")
    if not isinstance(data, dict):
        raise bad
    try:
        cases = data["cases"]
        if not isinstance(cases, list) or len(cases) > MAX_CASES:
            raise bad
        result = GradingResult(
            exercise=_text(data["exercise"]),
            exercise_version=_text(data["exercise_version"]),
            verdict=Verdict(_text(data["verdict"])),
            message=_text(data["message"]),
            score=_number(data["score"]),
            max_score=_number(data["max_score"]),
            cases=[_case_result(c) for c in cases],
            output=_text(data["output"], 1 << 20),
            execution_time=_number(data["execution_time"]),
            leaderboard=_plain_list(data["leaderboard"]),
            backend=_text(data["backend"]),
            unsafe=_bool(data["unsafe"]),
            limits=_plain_dict(data["limits"]),
            limit_hit=None if data["limit_hit"] is None else _text(data["limit_hit"]),
            extra=_plain_dict(data["extra"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise bad from exc
    return result


def _case_result(data) -> CaseResult:
    if not isinstance(data, dict):
        raise TypeError("a case result is not an object")
    lines, times, family = data["lines"], data["times"], data["exception_family"]
    if not all(isinstance(x, list) and len(x) <= MAX_CASES for x in (lines, times, family)):
        raise TypeError("a list field is not a list")
    return CaseResult(
        name=_text(data["name"]),
        visible=_bool(data["visible"]),
        status=CaseStatus(_text(data["status"])),
        score=_number(data["score"]),
        max_score=_number(data["max_score"]),
        message=_text(data["message"]),
        detail=_text(data["detail"]),
        diagnosis=None if data["diagnosis"] is None else _text(data["diagnosis"]),
        diagnosis_message=_text(data["diagnosis_message"]),
        lines=[_int(n) for n in lines],
        reason=_text(data["reason"]),
        exception=_text(data["exception"]),
        exception_family=tuple(_text(n) for n in family),
        times=[_number(t) for t in times],
        explain=_text(data["explain"]),
    )


def _text(value, limit: int = MAX_TEXT) -> str:
    if type(value) is not str or len(value) > limit:
        raise TypeError("not a bounded string")
    return value


def _bool(value) -> bool:
    if type(value) is not bool:
        raise TypeError("not a boolean")
    return value


def _int(value) -> int:
    if type(value) is not int:
        raise TypeError("not an integer")
    return value


def _number(value) -> float:
    if type(value) not in (int, float) or not math.isfinite(value):
        raise TypeError("not a finite number")
    return float(value)


def _plain_list(value) -> list:
    if not isinstance(value, list) or len(value) > 64 or not all(isinstance(v, dict) for v in value):
        raise TypeError("not a short list of objects")
    return value


def _plain_dict(value) -> dict:
    if not isinstance(value, dict) or len(value) > 64:
        raise TypeError("not a small object")
    return value


# -- inside the host's container -------------------------------------------------


def handle(host: InProcessHost, body: dict, blobs: dict[str, bytes]) -> bytes:
    """One request (from the worker: trusted data) to one answer frame."""
    draw = Draw(**body["draw"])
    if body["op"] == "cases":
        return cases_answer(host.cases(draw))
    if body["op"] == "judge":
        refs = [(blobs[f"ref{i}"], only) for i, only in enumerate(body["refs"])]
        peaks = Peaks(*body["peaks"])
        result = host.judge_streams(
            draw,
            refs,
            blobs.get("report"),
            end=RunEnd(**body["end"]),
            peaks=peaks,
            visible_only=bool(body["visible_only"]),
        )
        return message({"ok": True, "result": result_to_wire(result)})
    raise ValueError(f"unknown request {body['op']!r}")


def serve(folder: Path, frames_in: int, frames_out: int, fields: dict | None = None) -> None:
    """The host's loop, in its container: answer each request frame on ``frames_in`` with one frame.

    Every failure of the exercise's code is an answer ({"ok": false}), not an end: the worker
    decides. The stream's end (the worker closed it) ends the loop.
    """
    import os

    from grader.exercise import load_exercise
    from grader.harness.frames import read_frame

    def answer(data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(frames_out, view) :]

    try:
        exercise = load_exercise(folder, siblings=False)
        if fields:  # what the worker's copy says beyond the files (a check's seed variant)
            from grader.limits import Limits

            exercise = replace(exercise, **{**fields, "limits": Limits(**fields["limits"])})
        host = InProcessHost(exercise)
        exercise.build_cases()  # import cases.py now: the first grading then pays only its own work
        answer(message({"ok": True, "version": exercise.version}))
    except Exception as exc:  # noqa: BLE001 - the exercise's code: its author reads it
        answer(message({"ok": False, "error": f"{type(exc).__name__}: {exc}"[:2000]}))
        return
    while True:
        frame = read_frame(frames_in)
        if frame is None:
            return
        try:
            body, blobs = read_message(*frame, request=True)
            reply = handle(host, body, blobs)
        except Exception as exc:  # noqa: BLE001 - the exercise's code: its failure is its answer
            reply = message({"ok": False, "error": f"{type(exc).__name__}: {exc}"[:2000]})
        answer(reply)


def serve_from_stdio(root: str) -> None:
    """In the container, once its files are unpacked under ``root``: serve on stdin and stdout.

    The frames' descriptors are kept to ourselves; the exercise's prints go to stderr, its reads to nothing.
    """
    import os
    import sys

    fields = json.loads(Path(root, "fields.json").read_text())
    folder = next(p for p in sorted(Path(root, "exercise").iterdir()) if p.is_dir())

    frames_in, frames_out = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(2, 1)  # a print in cases.py lands on stderr, which the worker drains and drops
    os.close(null)
    sys.stdout = sys.stderr
    serve(folder, frames_in, frames_out, fields)


def with_draw(packed: PackedCases, timed_seed: int) -> Draw:
    """The draw of ``packed`` with a submission's timed seed."""
    return replace(packed.origin, timed_seed=timed_seed)
