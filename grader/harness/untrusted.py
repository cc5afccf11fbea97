"""What a runner sends, read as untrusted data inside the sandbox: a value or ``Protocol``, nothing else.

Everything a runner writes after ``booted`` comes from a process the learner (or an
exercise's author) controls. The supervisor reads it only through this module, whose
functions either return well-formed records or raise ``Protocol`` (the sender's fault).
What a value means is decided outside the sandbox.

Standard library only: the NumPy-free sandbox runs this same file.
"""

from __future__ import annotations

import re

import npy
from contract import CallStatus, FrameType
from frames import FrameError, split_blobs

CHILD_BLOB = re.compile(r"^[A-Za-z0-9]{1,16}$")
RESULT_KEYS = {"type", "status", "value", "error", "message", "blobs", "device_s", "tampered"}
RESULT_STATUSES = frozenset(CallStatus)


class Protocol(Exception):
    """The child broke the protocol: its fault."""


def check_result(meta: dict, payload: bytes) -> tuple[dict, dict[str, bytes]]:
    """A result frame's header and blobs, or Protocol. Content is checked outside."""
    if meta.get("type") != FrameType.RESULT or not set(meta) <= RESULT_KEYS:
        raise Protocol("not a result frame")
    if meta.get("status") not in RESULT_STATUSES:
        raise Protocol("unknown result status")
    try:
        blobs = split_blobs(meta, payload, CHILD_BLOB.match)
    except FrameError as exc:
        raise Protocol(str(exc)) from exc
    for blob in blobs.values():
        try:
            npy.check(blob)
        except npy.NpyError as exc:
            raise Protocol(f"a returned array is malformed: {exc}") from exc
    record = {key: value for key, value in meta.items() if key not in ("type", "blobs")}
    return record, blobs
