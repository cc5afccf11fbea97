"""Length-prefixed frames on a pipe: a JSON header and an optional raw payload.

Standard library only (the harness runs in the NumPy-free sandbox too).

A frame is ``>II`` (header length, payload length), a JSON object, then the
payload bytes. The payload carries arrays as ``.npy`` bytes; the header's
``"blobs": [[name, length], ...]`` says how to cut it. Everything read from
a learner's process is untrusted: the reader bounds the header and the
payload before buffering them, refuses JSON that is not strict (``NaN``,
``Infinity``, numbers Python cannot hold, integers past 64 bits, nesting past
``MAX_DEPTH``) and anything that is not an object.

The JSON reader is total: ``loads_strict`` returns a value or raises
``JSONRefused`` (a ValueError), nothing else, on any bytes. Its depth bound is
counted before ``json.loads`` runs, without recursion, so it does not depend on
the interpreter's recursion limit (1,000 Python frames for the C scanner on the
worker's Python 3.11, a C stack limit on the sandbox's 3.13): the same bytes read
the same on both sides.
"""

from __future__ import annotations

import json
import os
import re
import struct
from itertools import accumulate

HEADER = struct.Struct(">II")
REPORT_PREFIX = b"tensordojo-report:"  # the supervisor's report follows this, the run's marker and a newline
MAX_HEADER = 1 << 20
MAX_DEPTH = 32  # nesting of a runner's frame, its header object included: a returned value nests MAX_DEPTH - 1
TRUSTED_DEPTH = 200  # frames the supervisor writes to a runner (our own job's arguments): far below any stack limit
MAX_INT = 2**63  # the largest integer magnitude a runner may send (codec.Encoder refuses larger ones)
_MAX_INT_DIGITS = len(str(MAX_INT))


class FrameError(Exception):
    """The byte stream is not a well-formed sequence of frames."""


class FrameTooLarge(FrameError):
    """A frame declares more payload than the reader's budget allows."""


class JSONRefused(ValueError):
    """Bytes that are not strict JSON within our bounds: the one error ``loads_strict`` raises."""


# A JSON string, or the rest of the text after an unterminated one. Every part after the opening quote is
# optional, so a match never fails and never backtracks: linear time on any bytes.
_STRING = re.compile(rb'"[^"\\]*(?:\\.?[^"\\]*)*"?', re.S)
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def json_depth(data: bytes) -> int:
    """How deeply ``data`` nests arrays and objects, counted without recursion.

    Exact for valid JSON. For broken JSON it is at least the depth ``json.loads``
    reaches before it stops at the first error: up to there, strings and brackets
    read the same both ways.
    """
    brackets = _STRING.sub(b"", data).translate(None, _NOT_BRACKET)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def _reject_constant(name: str):
    raise ValueError(f"non-finite number {name}")


def _finite_float(text: str) -> float:
    value = float(text)
    if value - value != 0:  # inf or nan: "1e400" parses as inf, and nothing downstream may hold it
        raise ValueError(f"non-finite number {text[:20]}")
    return value


def _bounded_int(text: str) -> int:
    if len(text) > _MAX_INT_DIGITS + 1 or abs(value := int(text)) > MAX_INT:
        raise ValueError(f"integer {text[:20]} has more than 64 bits")
    return value


def loads_strict(data: bytes, max_depth: int = MAX_DEPTH, bounded_ints: bool = True):
    """JSON as we write it, or JSONRefused: UTF-8, finite numbers, integers within MAX_INT, nesting within max_depth."""
    try:
        # At most as deep as it has openers (a C-speed count): most frames need no scan at all.
        depth = json_depth(data) if data.count(b"[") + data.count(b"{") > max_depth else 0
        if depth > max_depth:
            raise JSONRefused(f"JSON nested {depth} deep, more than {max_depth}")
        return json.loads(
            data.decode("utf-8"),
            parse_constant=_reject_constant,
            parse_float=_finite_float,
            parse_int=_bounded_int if bounded_ints else int,
        )
    except JSONRefused:
        raise
    except (ValueError, RecursionError) as exc:
        # ValueError: JSONDecodeError, UnicodeDecodeError, our hooks. RecursionError cannot happen within the
        # depth bound (which sits far below both interpreters' limits); were it ever raised, it is refused the same.
        raise JSONRefused(str(exc)[:200]) from None


def encode_frame(meta: dict, payload_len: int = 0) -> bytes:
    header = json.dumps(meta, allow_nan=False, separators=(",", ":")).encode()
    return HEADER.pack(len(header), payload_len) + header


def write_frame(fd: int, meta: dict, payload: bytes | memoryview | list = b"") -> None:
    """Write one frame (blocking). ``payload`` may be a list of buffers, written in place."""
    parts = payload if isinstance(payload, list) else [payload]
    total = sum(memoryview(p).nbytes for p in parts)
    _write_all(fd, encode_frame(meta, total))
    for part in parts:
        _write_all(fd, part)  # a large array is not copied once more


def _write_all(fd: int, data) -> None:
    os.set_blocking(fd, True)  # the learner's code may have made our descriptor non-blocking
    view = memoryview(data).cast("B")
    while view:
        written = os.write(fd, view)
        view = view[written:]


def read_frame(fd: int, max_payload: int = 1 << 31) -> tuple[dict, bytes] | None:
    """Read one whole frame the supervisor wrote (blocking); None at a clean end of stream."""
    head = _read_exact(fd, HEADER.size, eof_ok=True)
    if head is None:
        return None
    header_len, payload_len = HEADER.unpack(head)
    if header_len > MAX_HEADER or payload_len > max_payload:
        raise FrameError("frame too large")
    meta = _parse_meta(_read_exact(fd, header_len), TRUSTED_DEPTH, bounded_ints=False)
    return meta, _read_exact(fd, payload_len)


def _read_exact(fd: int, size: int, eof_ok: bool = False):
    os.set_blocking(fd, True)  # the learner's code may have made our descriptor non-blocking
    chunks, remaining = [], size
    while remaining:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            if eof_ok and remaining == size:
                return None
            raise FrameError("the stream ended inside a frame")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _parse_meta(raw: bytes, max_depth: int = MAX_DEPTH, bounded_ints: bool = True) -> dict:
    try:
        meta = loads_strict(raw, max_depth, bounded_ints)
    except JSONRefused as exc:
        raise FrameError(f"frame header is not strict JSON: {str(exc)[:100]}") from exc
    if not isinstance(meta, dict):
        raise FrameError("frame header is not an object")
    return meta


def split_blobs(meta: dict, payload: bytes, name_ok) -> dict[str, bytes]:
    """Cut a payload by the header's ``blobs`` list; FrameError unless it adds up exactly."""
    spec = meta.get("blobs", [])
    if not isinstance(spec, list) or len(spec) > 4096:
        raise FrameError("blobs is not a list")
    blobs, offset = {}, 0
    for item in spec:
        if not (isinstance(item, list) and len(item) == 2):
            raise FrameError("a blob entry is not [name, length]")
        name, length = item
        if not (isinstance(name, str) and name_ok(name)) or name in blobs:
            raise FrameError("a blob name is not acceptable")
        if type(length) is not int or length < 0 or offset + length > len(payload):
            raise FrameError("a blob length does not fit the payload")
        blobs[name] = payload[offset : offset + length]
        offset += length
    if offset != len(payload):
        raise FrameError("the payload is longer than its blobs")
    return blobs


class FrameReader:
    """Incremental parser for a non-blocking reader: feed bytes, take complete frames."""

    def __init__(self, max_payload: int):
        self.buffer = bytearray()
        self.max_payload = max_payload

    def feed(self, data: bytes) -> None:
        self.buffer += data

    def pending(self) -> int:
        """How many more bytes the frame being read needs (0 when one is complete)."""
        if len(self.buffer) < HEADER.size:
            return HEADER.size - len(self.buffer)
        header_len, payload_len = self._sizes()
        return max(0, HEADER.size + header_len + payload_len - len(self.buffer))

    def _sizes(self) -> tuple[int, int]:
        header_len, payload_len = HEADER.unpack_from(self.buffer)
        if header_len > MAX_HEADER:
            raise FrameError("frame header too large")
        if payload_len > self.max_payload:
            raise FrameTooLarge("frame payload over the result limit")
        return header_len, payload_len

    def next_frame(self) -> tuple[dict, bytes] | None:
        """One complete frame, removed from the buffer; None while incomplete."""
        if len(self.buffer) < HEADER.size:
            return None
        header_len, payload_len = self._sizes()
        end = HEADER.size + header_len + payload_len
        if len(self.buffer) < end:
            return None
        meta = _parse_meta(bytes(self.buffer[HEADER.size : HEADER.size + header_len]))
        payload = bytes(self.buffer[HEADER.size + header_len : end])
        del self.buffer[:end]
        self.max_payload -= payload_len
        return meta, payload
