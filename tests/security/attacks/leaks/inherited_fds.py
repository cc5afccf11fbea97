"""expect: accepted | runtime_error | forbidden_call
Read every file descriptor the process inherited (0..1023), and the supervisor's through /proc.

A job file left open, a pipe that still carries the cases to come, a socket to the
supervisor: each is read (regular files from offset 0, pipes and sockets without
blocking) and anything that looks like an array or JSON numbers is printed.
Seen in the wild: descriptor leaks across exec/fork (CWE-403, "exposure of file
descriptor to unintended control sphere"), e.g. runc's CVE-2024-21626 leaked a host fd.
"""

import fcntl
import io
import json
import os
import re

import numpy as np

SEEN = set()
FLOAT_LIST = re.compile(rb"\[(-?\d+\.\d+(?:e-?\d+)?, ){2,}-?\d+\.\d+(?:e-?\d+)?\]")


DONE = []


def show(label, value):
    try:
        flat = np.asarray(value, dtype=float).ravel()
    except (TypeError, ValueError):
        return
    if 0 < flat.size <= 4096 and flat[:8].tobytes() not in SEEN:
        SEEN.add(flat[:8].tobytes())
        print(label, flat[:8].tolist())


def understand(label, data):
    at = data.find(b"\x93NUMPY")
    while at >= 0:
        try:
            show(label, np.load(io.BytesIO(data[at:]), allow_pickle=False))
        except Exception:
            pass
        at = data.find(b"\x93NUMPY", at + 1)
    for match in FLOAT_LIST.finditer(data):
        show(label, json.loads(match.group(0)))


def read_fd(fd):
    try:
        os.fstat(fd)
    except OSError:
        return
    try:
        data = os.pread(fd, 16 << 20, 0)
    except OSError:
        try:
            flags = fcntl.fcntl(fd, fcntl.F_GETFL)
            fcntl.fcntl(fd, fcntl.F_SETFL, flags | os.O_NONBLOCK)
            data = os.read(fd, 16 << 20)
            fcntl.fcntl(fd, fcntl.F_SETFL, flags)
        except OSError:
            return
    try:
        target = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        target = "?"
    print(f"fd {fd} -> {target}: {len(data)} bytes")
    understand(f"fd {fd}", data)


def solve(x):
    try:
        if DONE:
            raise StopIteration  # the search runs once per process: in the first (visible) case
        DONE.append(True)
        for fd in range(1024):
            if fd not in (1, 2):
                read_fd(fd)
        for pid in dict.fromkeys([os.getppid(), 1]) if os.getuid() != 0 else ():  # the supervisor's, by path
            # (never as root: on the unsafe local backend PID 1 is the host's init)
            for name in os.listdir(f"/proc/{pid}/fd") if os.access(f"/proc/{pid}/fd", os.R_OK) else []:
                try:
                    fd = os.open(f"/proc/{pid}/fd/{name}", os.O_RDONLY | os.O_NONBLOCK)
                except OSError:
                    continue
                read_fd(fd)
                os.close(fd)
    except StopIteration:
        pass
    except Exception as exc:
        print("probe failed:", type(exc).__name__)
    if x.ndim != 1:
        raise ValueError("not a vector")
    return x * 2
