"""expect: accepted | runtime_error | time_limit
Kill the parent's whole process group and every process we may signal (kill(-1)), then answer.

Seen in the wild: "kill -9 -1" and killpg(0) from a test, taking the test runner down
with it (a classic way a CI job reports an infrastructure failure instead of a test failure).
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
    if IN_SANDBOX:
        for action in (
            lambda: os.killpg(os.getpgid(os.getppid()), signal.SIGKILL),
            lambda: os.killpg(os.getpgid(1), signal.SIGTERM),
            lambda: os.kill(-1, signal.SIGKILL),
        ):
            try:
                action()
            except OSError:
                pass
    return answer(x)
