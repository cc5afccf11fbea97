"""expect: accepted
Kill the parent and every other process we can signal, then answer correctly: the
supervisor (PID 1, which the kernel protects) must survive and report the right answer.
"""

import os
import signal


def solve(x):
    for target in (os.getppid(), 1):
        try:
            os.kill(target, signal.SIGKILL)
        except OSError:
            pass
    try:
        os.kill(-1, signal.SIGTERM)
    except OSError:
        pass
    return x * 2
