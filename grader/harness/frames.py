"""Length-prefixed frames on a pipe: a JSON header and an optional raw payload."""

from __future__ import annotations

import json
import os
import struct

HEADER = struct.Struct(">II")
MAX_HEADER = 1 << 20


class FrameError(Exception):
    """The byte stream is not a well-formed sequence of frames."""


def write_frame(fd: int, meta: dict, payload: bytes | memoryview = b"") -> None:
    header = json.dumps(meta, allow_nan=False).encode()
    _write_all(fd, HEADER.pack(len(header), len(payload)) + header)
    _write_all(fd, payload)  # written in place: a large array is not copied once more


def _write_all(fd: int, data) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


class FrameReader:
    """Incremental parser: feed bytes, take complete frames."""

    def __init__(self, max_payload_total: int):
        self.buffer = bytearray()
        self.payload_budget = max_payload_total

    def feed(self, data: bytes) -> None:
        self.buffer += data

    def frames(self):
        while len(self.buffer) >= HEADER.size:
            header_len, payload_len = HEADER.unpack_from(self.buffer)
            if header_len > MAX_HEADER:
                raise FrameError("frame header too large")
            if payload_len > self.payload_budget:
                raise OverflowError("result size limit")
            end = HEADER.size + header_len + payload_len
            if len(self.buffer) < end:
                return
            try:
                meta = json.loads(bytes(self.buffer[HEADER.size : HEADER.size + header_len]))
            except ValueError as exc:
                raise FrameError("frame header is not JSON") from exc
            if not isinstance(meta, dict):
                raise FrameError("frame header is not an object")
            payload = bytes(self.buffer[HEADER.size + header_len : end])
            del self.buffer[:end]
            self.payload_budget -= payload_len
            yield meta, payload
