"""expect: accepted
Kill every other process in the sandbox on every call, then answer correctly.

The supervisor keeps spare runners started ahead of time (the next phase's interpreter,
already importing NumPy). A learner in the visible phase can see and signal them: a spare
found dead must be replaced by a fresh runner, silently, and the hidden cases graded as usual.
"""

import os
import signal

IN_SANDBOX = os.getuid() != 0  # never signal or write into a host's processes from the unsafe local backend


def _others():
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) not in (os.getpid(), os.getppid(), 1):
            yield int(entry)


def solve(x):
    if x.ndim != 1:
        raise ValueError("expected a vector")
    if not IN_SANDBOX:
        return x * 2
    for pid in _others():
        try:
            os.kill(pid, signal.SIGKILL)
        except Exception:  # the audit hook refuses some targets; carry on
            pass
    return x * 2
