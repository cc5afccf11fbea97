"""expect: wrong_answer | runtime_error | output_limit | time_limit
Return, from every call, a list of 50,000 long floats: each result stays under the frame limits, all of them together make the report's JSON larger than the grader reads.

Only arrays count against the result limit; JSON values are capped per frame (1 MiB)
but not per run, so 17 calls give a 17 MB results.json that the grader refuses as
unreadable, and a refused report is an internal error.
Seen in the wild: "billion laughs"-style amplification, where every piece passes its
own size check and the whole does not (XML entity expansion, zip bombs).
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





def solve(x):
    return [0.12345678901234568 + i * 1e-17 for i in range(48_000)]
