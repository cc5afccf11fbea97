"""The exercise host's wire: what a host sends is read back by total parsers, and nothing else is.

The docker host's container runs ``grader.exercise_host.serve``; here the same functions run
in this process and a socket pair plays the container's attached stream.
"""

from __future__ import annotations

import json
import socket
import struct
import time

import numpy as np
import pytest

from grader.backends import get_backend
from grader.exercise import load_exercise
from grader.exercise_host import (
    Draw,
    ExerciseBroken,
    InProcessHost,
    cases_answer,
    cases_from_answer,
    handle,
    message,
    read_message,
    result_from_wire,
    result_to_wire,
)
from grader.exercise_host_docker import Channel
from grader.harness.frames import read_frame
from grader.jobs import case_seed, learner_job
from grader.judge import RunEnd, judge
from grader.protocol import parse_report
from grader.reference import ExpectedStore
from grader.timing import Peaks
from tests.conftest import ROOT


def _frame_parts(data: bytes) -> tuple[dict, bytes]:
    """One frame written by ``message``, split as a reader would."""
    header_len, payload_len = struct.unpack(">II", data[:8])
    return json.loads(data[8 : 8 + header_len]), data[8 + header_len :]


def _through_the_wire(exercise, draw: Draw):
    answer = cases_answer(InProcessHost(exercise).cases(draw))
    body, blobs = read_message(*_frame_parts(answer))
    return cases_from_answer(body, blobs, draw)


@pytest.mark.parametrize("slug", ["matmul-by-hand", "vectorise-pairwise", "attention-torch", "fused-attention-gpu"])
def test_the_cases_a_host_sends_make_the_very_job_this_process_would_build(slug):
    exercise = load_exercise(ROOT / "exercises" / slug)
    draw = Draw(3, case_seed(exercise, 3, "secret"), on_gpu=True, timed_seed=12345)
    ours = InProcessHost(exercise).cases(draw)
    theirs = _through_the_wire(exercise, draw)
    assert theirs.ids == ours.ids
    assert theirs.job_cases == ours.job_cases
    assert theirs.arrays.keys() == ours.arrays.keys()
    for name, array in ours.arrays.items():
        assert np.array_equal(theirs.arrays[name], array) and theirs.arrays[name].dtype == array.dtype
    assert learner_job(exercise, theirs, "x = 1").count(b"job.json") == 1
    # data-only cases: the same settings, no callable of the exercise's
    for mine, data in zip(ours.cases, theirs.cases, strict=True):
        assert (data.name, data.visible, data.is_timed, data.expect_error) == (
            mine.name,
            mine.visible,
            mine.is_timed,
            mine.expect_error,
        )
        assert (data.check is None) == (mine.check is None) and data.diagnoses == ()
        if data.check is not None:
            with pytest.raises(RuntimeError):
                data.check(1, 1, data)


def test_a_verdict_judged_through_the_wire_is_the_verdict_judged_here(tmp_path):
    exercise = load_exercise(ROOT / "exercises" / "matmul-by-hand")
    backend = get_backend("process")
    expected = ExpectedStore(tmp_path).get(exercise, backend, 0)
    stream = expected.reports[0][0]  # the reference's own report, judged as if a learner's
    report = parse_report(stream, len(stream) + 1)
    peaks = Peaks(1e12, 1e11)
    here = judge(exercise, expected, report, end=RunEnd(backend="process"), peaks=peaks)
    request = {
        "op": "judge",
        "draw": expected.packed.origin.as_dict(),
        "refs": [only for _, only in expected.reports],
        "end": {"backend": "process"},
        "peaks": [peaks.flops_per_s, peaks.bytes_per_s],
        "visible_only": False,
    }
    answer = handle(InProcessHost(exercise), request, {"ref0": stream, "report": stream})
    body, _ = read_message(*_frame_parts(answer))
    there = result_from_wire(body["result"])
    assert there.to_results_json() == here.to_results_json()
    assert there.verdict == "accepted"


def _mux(payload: bytes, stream: int = 1) -> bytes:
    return bytes([stream, 0, 0, 0]) + struct.pack(">I", len(payload)) + payload


def _answer_of(wire: bytes, *, close: bool = False, limit: int = 1 << 20, wait: float = 2.0):
    ours, theirs = socket.socketpair()
    try:
        theirs.sendall(wire)
        if close:
            theirs.shutdown(socket.SHUT_WR)
        return Channel(ours).receive(time.monotonic() + wait, limit=limit)
    finally:
        ours.close()
        theirs.close()


def _frame(body: bytes, extra: bytes = b"") -> bytes:
    header = json.dumps({"blobs": [["body", len(body)]] + ([["a0", len(extra)]] if extra else [])}).encode()
    return struct.pack(">II", len(header), len(body) + len(extra)) + header + body + extra


HOSTILE = {
    "garbage": _mux(b"\xff" * 64),
    "a huge frame": _mux(struct.pack(">II", 10, (1 << 31) - 1) + b"{}"),
    "a huge header": _mux(struct.pack(">II", 1 << 30, 0)),
    "a header that is not JSON": _mux(struct.pack(">II", 4, 0) + b"nope"),
    "blobs that do not add up": _mux(struct.pack(">II", 25, 3) + b'{"blobs": [["body", 9]]} ' + b"abc"),
    "a body that is not JSON": _mux(_frame(b"{'ok': True}")),
    "a body that is not an object": _mux(_frame(b"[1, 2]")),
    "a body with NaN": _mux(_frame(b'{"ok": NaN}')),
    "a stream id Docker never sends": _mux(_frame(b'{"ok": true}'), stream=7),
    "more than one answer": _mux(_frame(b'{"ok": true}') * 2),
}


@pytest.mark.parametrize("wire", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_answer_is_the_exercise_broken_never_a_crash(wire):
    with pytest.raises(ExerciseBroken):
        _answer_of(wire, close=True)


def test_a_host_that_stops_or_says_nothing_is_broken_within_the_deadline():
    with pytest.raises(ExerciseBroken, match="stopped"):
        _answer_of(_mux(b"\x00\x00"), close=True)
    started = time.monotonic()
    with pytest.raises(ExerciseBroken, match="in time"):
        _answer_of(b"", wait=0.3)
    assert time.monotonic() - started < 2


def test_what_the_exercise_prints_on_stderr_is_dropped_and_the_answer_read():
    body, blobs = _answer_of(_mux(b"print from cases.py\n", stream=2) + _mux(_frame(b'{"ok": true}')))
    assert body == {"ok": True} and blobs == {}


def test_an_answer_over_the_limit_is_refused_before_it_is_read():
    with pytest.raises(ExerciseBroken, match="unreadable"):
        _answer_of(_mux(_frame(b'{"ok": true}', b"x" * 4096)), limit=1024)


def _cases_body(**change) -> dict:
    case = {
        "name": "one",
        "entry": "f",
        "visible": True,
        "points": 1,
        "rtol": None,
        "atol": None,
        "strict_dtype": False,
        "allow_lists": False,
        "sign_invariant_axis": None,
        "expect_error": None,
        "explain": "",
        "check": False,
        "error_message_check": False,
        "timed": False,
        "flops": 0,
        "bytes_moved": 0,
        "args": {"$tuple": [{"$array": "a0"}]},
        "kwargs": {},
    }
    return {"ok": True, "cases": [{**case, **change}]}


WRONG_CASES = {
    "a name that is a number": {"name": 5},
    "points that are a string": {"points": "1"},
    "points that are negative": {"points": -1},
    "visible that is a number": {"visible": 1},
    "arguments that are not a tuple": {"args": [1, 2]},
    "an argument naming a missing array": {"args": {"$tuple": [{"$array": "zz"}]}},
    "an argument with a marker of no one": {"args": {"$tuple": [{"$pickle": "x"}]}},
    "an array marker with more keys": {"args": {"$tuple": [{"$array": "a0", "tensor": True}]}},
    "a timed case without timing": {"timed": True},
    "an explanation over the bound": {"explain": "x" * 100_000},
}


@pytest.mark.parametrize("change", WRONG_CASES.values(), ids=WRONG_CASES.keys())
def test_cases_of_the_wrong_types_are_the_exercise_broken(change):
    array = np.arange(3.0)
    from grader.exercise_host import array_bytes

    with pytest.raises(ExerciseBroken):
        cases_from_answer(_cases_body(**change), {"a0": array_bytes(array)}, Draw(0, 1))


def test_an_array_that_is_not_a_plain_npy_is_the_exercise_broken():
    with pytest.raises(ExerciseBroken, match="array"):
        cases_from_answer(_cases_body(), {"a0": b"\x93NUMPY\x01\x00garbage"}, Draw(0, 1))


def test_a_verdict_of_the_wrong_types_is_the_exercise_broken():
    exercise = load_exercise(ROOT / "exercises" / "matmul-by-hand")
    judged = judge(exercise, _empty_expected(exercise), None, end=RunEnd(timed_out=True))
    good = json.loads(json.dumps(result_to_wire(judged)))  # as it crosses the pipe
    assert result_from_wire(good).verdict == "time_limit"
    assert result_from_wire(None) is None
    for wrong in (
        {"verdict": "pwned"},
        {"score": float("inf")},
        {"score": "10"},
        {"cases": [{"name": 1}]},
        {"cases": "all passed"},
        {"leaderboard": [1, 2]},
        {"unsafe": 0},
    ):
        with pytest.raises(ExerciseBroken):
            result_from_wire({**good, **wrong})
    with pytest.raises(ExerciseBroken):
        result_from_wire([good])
    with pytest.raises(ExerciseBroken):
        result_from_wire({k: v for k, v in good.items() if k != "verdict"})


def _empty_expected(exercise):
    from grader.reference import ExpectedSet

    packed = InProcessHost(exercise).cases(Draw(0, case_seed(exercise, 0)))
    return ExpectedSet(packed=packed, by_id={}, version=exercise.version)


def test_the_serve_loop_answers_a_request_and_a_failure_of_the_exercise_alike(tmp_path):
    import os
    import threading

    from grader.exercise_host import serve

    exercise = load_exercise(ROOT / "exercises" / "matmul-by-hand")
    to_host, host_in = os.pipe()
    host_out, from_host = os.pipe()
    thread = threading.Thread(target=serve, args=(exercise.path, to_host, from_host), daemon=True)
    thread.start()
    try:
        hello = read_frame(host_out)
        assert read_message(*hello)[0] == {"ok": True, "version": exercise.version}
        draw = Draw(0, 2**64 - 1)  # a pool seed is 64-bit unsigned
        os.write(host_in, message({"op": "cases", "draw": draw.as_dict()}))
        body, blobs = read_message(*read_frame(host_out))
        assert [c.name for c in cases_from_answer(body, blobs, draw).cases]
        os.write(host_in, message({"op": "nonsense", "draw": draw.as_dict()}))
        body, _ = read_message(*read_frame(host_out))
        assert body["ok"] is False and "nonsense" in body["error"]
    finally:
        os.close(host_in)
        thread.join(10)
        for fd in (to_host, host_out, from_host):
            os.close(fd)
    assert not thread.is_alive()
