"""What a runner sends, read as untrusted data inside the sandbox: a value or ``Protocol``, nothing else.

Everything a runner writes after ``booted`` comes from a process the learner (or an
exercise's author) controls. The supervisor reads it only through this module and
``frames.FrameReader``; together they are total: on any bytes they either return
well-formed records or raise ``Protocol`` (the sender's fault), never anything else.
``FrameReader`` hands over a ``dict`` of strict JSON (finite numbers, integers within
64 bits, nesting within ``frames.MAX_DEPTH``); here every field the supervisor keeps
is checked for its type and size before anything looks inside it (a ``status`` that
is a list is refused, never hashed). What a value means is decided outside the sandbox.

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
# What runner.describe_exception and runner._call write, at most (codec.MAX_STR for the messages).
MAX_ERROR_TYPE = 100
MAX_ERROR_MESSAGE = 2_000
MAX_UNSUPPORTED_MESSAGE = 300
MAX_LINES = 10
MAX_FAMILY = 16
MAX_LINE = 10**7


class Protocol(Exception):
    """The child broke the protocol: its fault."""


def check_result(meta: dict, payload: bytes) -> tuple[dict, dict[str, bytes]]:
    """A result frame's record (every kept field of its type) and its checked blobs, or Protocol."""
    if not isinstance(meta, dict) or meta.get("type") != FrameType.RESULT or not set(meta) <= RESULT_KEYS:
        raise Protocol("not a result frame")
    status = meta.get("status")
    if type(status) is not str or status not in RESULT_STATUSES:
        raise Protocol("unknown result status")
    if "error" in meta:
        check_error(meta["error"])
    message = meta.get("message", "")
    if type(message) is not str or len(message) > MAX_UNSUPPORTED_MESSAGE:
        raise Protocol("a result's message is not short text")
    device = meta.get("device_s", 0.0)
    if type(device) not in (int, float) or type(meta.get("tampered", False)) is not bool:
        raise Protocol("a result's device time is malformed")
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


def check_import_error(meta: dict) -> dict:
    """The exception record of an ``import_error`` frame, or Protocol."""
    if not isinstance(meta, dict) or meta.get("type") != FrameType.IMPORT_ERROR or set(meta) != {"type", "error"}:
        raise Protocol("not an import_error frame")
    return check_error(meta["error"])


def check_error(error) -> dict:
    """An exception record as runner.describe_exception writes it (types and sizes), or Protocol."""
    if not isinstance(error, dict) or not set(error) <= {"type", "message", "forbidden", "lines", "family"}:
        raise Protocol("an exception record is not an object of the known fields")
    kind, message, forbidden = error.get("type"), error.get("message"), error.get("forbidden")
    lines, family = error.get("lines"), error.get("family", [])
    if not (_text(kind, MAX_ERROR_TYPE) and _text(message, MAX_ERROR_MESSAGE) and type(forbidden) is bool):
        raise Protocol("an exception record's type, message or forbidden flag is malformed")
    if not (type(lines) is list and len(lines) <= MAX_LINES and all(_line(n) for n in lines)):
        raise Protocol("an exception record's lines are malformed")
    if not (type(family) is list and len(family) <= MAX_FAMILY and all(_text(n, MAX_ERROR_TYPE) for n in family)):
        raise Protocol("an exception record's family is malformed")
    return error


def _line(value) -> bool:
    return type(value) is int and 0 <= value < MAX_LINE


def _text(value, limit: int) -> bool:
    return type(value) is str and len(value) <= limit
