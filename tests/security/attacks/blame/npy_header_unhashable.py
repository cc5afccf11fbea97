"""expect: runtime_error | wrong_answer | time_limit
Return an array whose .npy header is a dictionary holding an unhashable literal: {[1]: 0} as the shape.

The header was read with ast.literal_eval, which raises TypeError (unhashable type) on such a
literal; only ValueError was caught, on both sides of the sandbox: our internal error.
Seen in the wild: ast.literal_eval treated as a safe parser of untrusted input, which it is not
(TypeError, MemoryError and RecursionError besides ValueError; CPython issues on its limits).
"""

import json
import os
import signal
import stat
import struct
import sys
import time

IN_SANDBOX = os.getuid() != 0  # never signal or write into a host's processes from the unsafe local backend


def answer(x):
    if x.ndim != 1:
        raise ValueError("not a vector")
    return x * 2


def channels():
    """Every pipe or socket this process holds besides its output: where a result channel would be."""
    found = []
    for fd in range(3, 256):
        try:
            mode = os.fstat(fd).st_mode
        except OSError:
            continue
        if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
            found.append(fd)
    return found


def send(header, payload=b""):
    """A frame in the harness's format (length-prefixed JSON header, raw payload) on every channel."""
    data = header if isinstance(header, bytes) else json.dumps(header).encode()
    for fd in channels():
        try:
            os.write(fd, struct.pack(">II", len(data), len(payload)) + data + payload)
        except OSError:
            pass


def current_case():
    """The id of the case being run, read off the caller's frames (as the harness names it)."""
    try:
        raise RuntimeError
    except RuntimeError as exc:
        frame = exc.__traceback__.tb_frame
    while frame is not None:
        case = frame.f_locals.get("case")
        if isinstance(case, dict) and "id" in case:
            return case["id"]
        frame = frame.f_back
    return "c0"


def result_channel():
    """The runner names its result descriptor on its command line (runner.py REQUEST_FD RESULT_FD)."""
    try:
        return [int(sys.argv[2])]
    except (IndexError, ValueError):
        return channels()


def send_raw(header: bytes, payload: bytes = b""):
    for fd in result_channel():
        try:
            os.write(fd, struct.pack(">II", len(header), len(payload)) + header + payload)
        except OSError:
            pass


def npy_blob(header):
    text = header.ljust(118) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text.encode() + b"\0" * 8


def solve(x):
    blob = npy_blob("{'descr': '<f8', 'fortran_order': False, 'shape': {[1]: 0}}")
    header = json.dumps({"type": "result", "status": "returned", "value": {"$array": "b0"}, "blobs": [["b0", len(blob)]]})
    send_raw(header.encode(), blob)
    os._exit(0)
