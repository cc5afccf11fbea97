"""expect: accepted | runtime_error | time_limit
Send every catchable termination signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1/2, SIGALRM, SIGPIPE) to PID 1 and to the parent, then answer correctly.

PID 1 of a namespace is spared only the signals it has no handler for, and Python
installs one for SIGINT (KeyboardInterrupt); a supervisor that dies here turns the
learner's run into "internal error, does not count".
Seen in the wild: containers whose init is a plain Python process ignoring or
mishandling signals (the reason tini and dumb-init exist).
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


SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGPIPE")


def solve(x):
    if IN_SANDBOX:
        for target in dict.fromkeys([1, os.getppid()]):
            for name in SIGNALS:
                try:
                    os.kill(target, getattr(signal, name))
                except OSError:
                    pass
        time.sleep(0.05)
    return answer(x)
