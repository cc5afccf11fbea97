"""Length-prefixed frames on a pipe: a JSON header and an optional raw payload.

Standard library only (the harness runs in the NumPy-free sandbox too).

A frame is ``>II`` (header length, payload length), a JSON object, then the
payload bytes. The payload carries arrays as ``.npy`` bytes; the header's
``"blobs": [[name, length], ...]`` says how to cut it. Everything read from
a learner's process is untrusted: the reader bounds the header and the
payload before buffering them, refuses JSON that is not strict (``NaN``,
``Infinity``, numbers Python cannot hold, nesting that would recurse too
deep) and anything that is not an object.
"""

from __future__ import annotations

import json
import os
import struct

HEADER = struct.Struct(">II")
REPORT_PREFIX = b"tensordojo-report:"  # the supervisor's report follows this, the run's marker and a newline
MAX_HEADER = 1 << 20


class FrameError(Exception):
    """The byte stream is not a well-formed sequence of frames."""


class FrameTooLarge(FrameError):
    """A frame declares more payload than the reader's budget allows."""


def _reject_constant(name: str):
    raise ValueError(f"non-finite number {name} in a frame")


def _finite_float(text: str) -> float:
    value = float(text)
    if value - value != 0:  # inf or nan: "1e400" parses as inf, and nothing downstream may hold it
        raise ValueError(f"non-finite number {text[:20]} in a frame")
    return value


def loads_strict(data: bytes):
    """JSON as we write it: finite numbers only (deep nesting raises RecursionError)."""
    return json.loads(data, parse_constant=_reject_constant, parse_float=_finite_float)


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
    """Read one whole frame (blocking); None at a clean end of stream."""
    head = _read_exact(fd, HEADER.size, eof_ok=True)
    if head is None:
        return None
    header_len, payload_len = HEADER.unpack(head)
    if header_len > MAX_HEADER or payload_len > max_payload:
        raise FrameError("frame too large")
    meta = _parse_meta(_read_exact(fd, header_len))
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


def _parse_meta(raw: bytes) -> dict:
    try:
        meta = loads_strict(raw)
    except (ValueError, RecursionError, UnicodeDecodeError) as exc:
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
