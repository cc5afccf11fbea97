"""expect: accepted
Take over the hidden phase's runner from the visible phase: find the spare runner (started
before the job, waiting for its init frame), open its request channel through
/proc/PID/fd and send it a well-formed init of our own: no forbidden rules, and a source
whose solve() triples. Had the spare accepted it, the hidden phase would run that code,
swallowing the supervisor's real init on import, and fail every hidden case.

The supervisor talks to its runners over socket pairs, which /proc cannot reopen, and a
runner makes itself undumpable before anything else, so its descriptors and memory are
out of other processes' reach: the honest x * 2 is graded everywhere.
"""

import json
import os
import struct

IN_SANDBOX = os.getuid() != 0  # never write into a host's processes from the unsafe local backend

FORGED = b"""
import os, struct, sys
_fd = int(sys.argv[1])
def _exact(n):
    data = b""
    while len(data) < n:
        chunk = os.read(_fd, n - len(data))
        if not chunk:
            break
        data += chunk
    return data
_h, _p = struct.unpack(">II", _exact(8))
_exact(_h + _p)  # the supervisor's real init, swallowed

def solve(x):
    return x * 3
"""


def frame(meta: dict, payload: bytes) -> bytes:
    header = json.dumps(meta).encode()
    return struct.pack(">II", len(header), len(payload)) + header + payload


def hijack() -> None:
    init = frame({"type": "init", "modules": ["numpy"], "rules": {}, "cpus": 1}, FORGED)
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) in (os.getpid(), 1):
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                argv = handle.read().split(b"\0")
        except OSError:
            continue
        if not any(part.endswith(b"runner.py") for part in argv):
            continue
        request_fd = argv[argv.index(next(p for p in argv if p.endswith(b"runner.py"))) + 1].decode()
        try:
            fd = os.open(f"/proc/{entry}/fd/{request_fd}", os.O_WRONLY | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            os.write(fd, init)
        except OSError:
            pass
        os.close(fd)


def solve(x):
    if x.ndim != 1:
        raise ValueError("expected a vector")
    if IN_SANDBOX:
        hijack()
    return x * 2
