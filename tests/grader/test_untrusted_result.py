"""What a runner sends is read by one total parser: a typed record, or the runner's protocol error, nothing else.

These are the parsers as the supervisor imports them (top-level modules of grader/harness, as in
the sandbox). Each test here was an exception that escaped the parser, or bytes read differently by
the sandbox's Python 3.13 and the worker's 3.11, which the grader then called its own failure.
"""

from __future__ import annotations

import json
import struct
import sys

import pytest

from grader.protocol import RecordStatus, ReportError, parse_report
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "grader" / "harness"))  # as supervisor.py does: the sandbox's import names

import codec  # noqa: E402
import frames  # noqa: E402
import npy  # noqa: E402
import untrusted  # noqa: E402


def frame_bytes(header: bytes, payload: bytes = b"") -> bytes:
    return struct.pack(">II", len(header), len(payload)) + header + payload


def read_result(data: bytes, max_payload: int = 1 << 20) -> tuple[dict, dict]:
    """What the supervisor does with a runner's bytes: frame them, then check the result."""
    reader = frames.FrameReader(max_payload)
    reader.feed(data)
    try:
        frame = reader.next_frame()
    except frames.FrameError as exc:
        raise untrusted.Protocol(str(exc)) from exc
    assert frame is not None, "a whole frame was fed"
    return untrusted.check_result(*frame)


def npy_with_header(header: str, data: bytes = b"\0" * 8) -> bytes:
    text = header.ljust(118) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text.encode("latin1") + data


def nested(depth: int) -> str:
    """A JSON value of ``depth`` nested lists."""
    return "[" * depth + "]" * depth


def report_around(call: dict) -> bytes:
    """The report as the supervisor writes it around one call record (results.json > cases > case > calls)."""
    from tests.grader.test_protocol import tar_of

    data = {
        "format": 2,
        "cases": {"c0": {"status": call["status"], "calls": [call]}},
        "phases": {},
        "limits_hit": [],
        "harness_errors": [],
    }
    return tar_of({"results.json": json.dumps(data, allow_nan=False).encode()})


@pytest.mark.parametrize("status", [["returned"], {"returned": 1}, 3, None, True, "passed"])
def test_a_result_status_that_is_not_a_known_word_is_the_runners_protocol_error(status):
    """A list was hashed by ``in`` and its TypeError escaped as our internal error."""
    with pytest.raises(untrusted.Protocol):
        read_result(frame_bytes(json.dumps({"type": "result", "status": status}).encode()))


@pytest.mark.parametrize(
    "field",
    [
        {"error": ["not", "a", "record"]},
        {"error": {"type": ["X"], "message": "m", "forbidden": False, "lines": []}},
        {"error": {"type": "E", "message": "m", "forbidden": False, "lines": [[1]]}},
        {"error": {"type": "E", "message": "m", "forbidden": False, "lines": [], "family": [{}]}},
        {"error": {"type": "E", "message": "m" * 2001, "forbidden": False, "lines": []}},
        {"message": {"a": 1}},
        {"device_s": "fast"},
        {"tampered": []},
    ],
)
def test_every_field_of_a_result_has_its_type_checked_before_it_is_kept(field):
    with pytest.raises(untrusted.Protocol):
        read_result(frame_bytes(json.dumps({"type": "result", "status": "raised", **field}).encode()))


def test_an_honest_exception_record_is_kept_as_it_was_sent():
    error = {"type": "ValueError", "message": "no", "forbidden": False, "lines": [3], "family": ["ValueError"]}
    record, _ = read_result(frame_bytes(json.dumps({"type": "result", "status": "raised", "error": error}).encode()))
    assert record == {"status": "raised", "error": error}


UNHASHABLE_HEADERS = [
    "{['descr']: '<f8', 'fortran_order': False, 'shape': (1,)}",  # a list as a key
    "{'descr': '<f8', 'fortran_order': False, 'shape': {[1]: 0}}",  # a dict holding a list as a key
    "{'descr': {['<f8']}, 'fortran_order': False, 'shape': (1,)}",  # a set holding a list
    "{'descr': '<f8', 'fortran_order': False, 'shape': [1]}",  # a list where a tuple belongs
]


@pytest.mark.parametrize("header", UNHASHABLE_HEADERS)
def test_an_npy_header_holding_an_unhashable_literal_is_a_malformed_array_inside(header):
    """``ast.literal_eval`` raised TypeError, and only ValueError was caught."""
    with pytest.raises(npy.NpyError):
        npy.check(npy_with_header(header))
    blob = npy_with_header(header)
    meta = {"type": "result", "status": "returned", "value": {"$array": "b0"}, "blobs": [["b0", len(blob)]]}
    with pytest.raises(untrusted.Protocol, match="malformed"):
        read_result(frame_bytes(json.dumps(meta).encode(), blob))


def test_an_npy_header_numpy_would_not_read_is_refused_before_numpy_sees_it():
    """Format 1.1 does not exist: numpy.load refuses it, so the check must too (what it accepts, NumPy reads)."""
    good = npy_with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }")
    assert npy.check(good) == ("<f8", (1,))
    with pytest.raises(npy.NpyError, match="version"):
        npy.check(good[:7] + b"\x01" + good[8:])


def test_a_frame_nested_past_the_bound_is_refused_however_high_the_recursion_limit(monkeypatch):
    """On the sandbox's Python 3.13 json.loads read 1,200 levels that the worker's 3.11 could not read back.

    The bound is ours (frames.MAX_DEPTH), counted before json.loads, so a raised recursion
    limit (3.13 has no Python-level limit for the C scanner) changes nothing.
    """
    monkeypatch.setattr(sys, "getrecursionlimit", sys.getrecursionlimit)  # restored by monkeypatch
    sys.setrecursionlimit(50_000)
    try:
        header = b'{"type": "result", "status": "returned", "value": ' + nested(1_200).encode() + b"}"
        with pytest.raises(untrusted.Protocol, match="nested"):
            read_result(frame_bytes(header))
    finally:
        sys.setrecursionlimit(1_000)


def test_the_deepest_value_the_supervisor_accepts_is_read_by_the_grader():
    """Both sides bound depth with the same numbers: what check_result keeps, parse_report reads (no ReportError)."""
    deepest = nested(frames.MAX_DEPTH - 1)  # the frame's own object is the first level
    record, _ = read_result(frame_bytes(b'{"type":"result","status":"returned","value":' + deepest.encode() + b"}"))
    report = parse_report(report_around(record), 1 << 20)
    assert report.cases["c0"].status in (RecordStatus.RETURNED, RecordStatus.INVALID)  # the learner's, either way
    with pytest.raises(untrusted.Protocol, match="nested"):
        read_result(frame_bytes(b'{"type":"result","status":"returned","value":[' + deepest.encode() + b"]}"))


def test_a_report_deeper_than_the_supervisor_can_write_is_ours_not_a_recursion_error():
    from tests.grader.test_protocol import tar_of

    raw = b'{"format": 2, "cases": {}, "phases": {}, "x": ' + nested(100_000).encode() + b"}"
    with pytest.raises(ReportError, match="nested"):
        parse_report(tar_of({"results.json": raw}), 1 << 20)


def test_the_deepest_value_the_encoder_writes_fits_the_frame_bound():
    """codec.MAX_DEPTH (Python levels) and frames.MAX_DEPTH (JSON levels) agree: an honest value is never refused."""
    value = 1
    for _ in range(codec.MAX_DEPTH):  # the leaf counts as a level too
        value = (value,) if _ % 2 else [value]
    tree = codec.Encoder().encode(value)
    header = json.dumps({"type": "result", "status": "returned", "value": tree}).encode()
    record, _ = read_result(frame_bytes(header))
    assert record["value"] == tree
    with pytest.raises(codec.EncodeError):
        codec.Encoder().encode([value])


@pytest.mark.parametrize("number", [b"1" + b"0" * 19, b"-" + b"9" * 25, b"1e400", b"NaN", b"-Infinity"])
def test_a_number_outside_64_bits_or_not_finite_is_refused(number):
    """json.loads reads ints of 4,300 digits and inf; the grader could not compare them as floats."""
    with pytest.raises(untrusted.Protocol):
        read_result(frame_bytes(b'{"type": "result", "status": "returned", "value": ' + number + b"}"))


def test_the_largest_integers_the_encoder_writes_are_read():
    for number in (2**63, -(2**63), 2**63 - 1):
        assert codec.Encoder().encode(number) == number
        record, _ = read_result(frame_bytes(b'{"type":"result","status":"returned","value":%d}' % number))
        assert record["value"] == number
    with pytest.raises(codec.EncodeError):
        codec.Encoder().encode(frames.MAX_INT + 1)


@pytest.mark.parametrize(
    "data",
    [
        b'"\\' * 200_000,  # an escape that never ends: linear, not quadratic
        b'"' + b"[" * 100 + b'"',  # brackets in a string do not nest
        b'{"a": "\\"[[["}',
    ],
)
def test_json_depth_counts_only_brackets_outside_strings(data):
    assert frames.json_depth(data) in (0, 1)


def test_an_import_error_frame_keeps_only_a_well_formed_exception_record():
    """For the supervisor's import_error frames (today it stores meta["error"] as sent; parse_report copes)."""
    error = {"type": "SyntaxError", "message": "bad", "forbidden": False, "lines": [1], "family": ["SyntaxError"]}
    assert untrusted.check_import_error({"type": "import_error", "error": error}) == error
    broken = [{"type": "import_error", "error": [error]}, {"type": "import_error"}, {"type": "ready", "error": error}]
    for meta in broken:
        with pytest.raises(untrusted.Protocol):
            untrusted.check_import_error(meta)
