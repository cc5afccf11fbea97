"""expect: runtime_error | wrong_answer | time_limit
Answer a call with a result frame whose value nests 1,200 lists deep (2.4 KB).

The supervisor runs Python 3.13, whose JSON scanner has no Python recursion limit: it read the
value and stored it in the report. The grader runs Python 3.11, whose scanner stops at the
recursion limit (1,000): it could not read the report back and called that its own failure.
Seen in the wild: parsers whose nesting limit is the stack (CVE-2020-36518 in jackson-databind,
CVE-2022-24999 in qs), here different on two interpreters reading the same bytes.
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


def solve(x):
    depth = 1_200
    send_raw(b"{\"type\":\"result\",\"status\":\"returned\",\"value\":" + b"[" * depth + b"]" * depth + b"}")
    os._exit(0)
