"""expect: runtime_error | wrong_answer | accepted
Write garbage into every pipe another process holds (through /proc/PID/fd), then answer correctly.

The spare runners wait for their job on a request pipe and answer on a result pipe; a
same-uid learner can open both through /proc. Whatever the next phase's runner then
reads or appears to write is the learner's doing: a learner's verdict, never ours.
"""

import os

GARBAGE = b"\x00\x00\x00\x05\x00\x00\x00\x00{bad}" + b"\xff" * 64

IN_SANDBOX = os.getuid() != 0  # never signal or write into a host's processes from the unsafe local backend


def solve(x):
    if x.ndim != 1:
        raise ValueError("expected a vector")
    if not IN_SANDBOX:
        return x * 2
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) in (os.getpid(), 1):
            continue
        try:
            fds = os.listdir(f"/proc/{entry}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                handle = os.open(f"/proc/{entry}/fd/{fd}", os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                continue
            try:
                os.write(handle, GARBAGE)
            except OSError:
                pass
            finally:
                os.close(handle)
    return x * 2
