"""expect: accepted
Stop (SIGSTOP) every other process in the sandbox, then answer correctly.

A stopped spare runner must not hang the next phase: the supervisor continues the spares
it keeps after sweeping the phase's processes away.
"""

import os
import signal

IN_SANDBOX = os.getuid() != 0  # never signal or write into a host's processes from the unsafe local backend


def solve(x):
    if x.ndim != 1:
        raise ValueError("expected a vector")
    if not IN_SANDBOX:
        return x * 2
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) not in (os.getpid(), os.getppid(), 1):
            try:
                os.kill(int(entry), signal.SIGSTOP)
            except Exception:
                pass
    return x * 2
