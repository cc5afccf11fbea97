"""expect: accepted | runtime_error | wrong_answer | time_limit
Start a case that does not exist, send results for cases not pending, then crash while the phantom case is current.

A supervisor that blames the "current" case on a crash removes it from the pending
list; a phantom id raises there. Seen in the wild: protocol desynchronisation
attacks on test harnesses that trust the child's case bookkeeping (TAP/JUnit
streams with forged test ids).
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
    case = current_case()
    send({"type": "result", "case": "c0", "status": "returned", "value": 1.0})
    send({"type": "result", "case": "no-such-case", "status": "returned", "value": 1.0})
    send({"type": "start", "case": "no-such-case"})
    if case != "c0":
        os._exit(3)
    return answer(x)
