"""expect: accepted
Leave a directory tree in /tmp deeper than PATH_MAX and than our descriptor limit, and
check on every call that no earlier runner's tree survived (this process's own is named
after its PID). The cleanup between phases left it there (a later phase then answered
wrongly here); the cleaner walks one open directory at a time and empties it.
"""

import os

DEPTH = 1500


def solve(x):
    if x.ndim != 1:
        raise ValueError("expected a vector")
    mine = f"deep-{os.getpid()}"
    left = [name for name in os.listdir("/tmp") if name.startswith("deep-") and name != mine]
    if left:
        raise RuntimeError(f"an earlier runner's tree is still here: {left}")
    if mine not in os.listdir("/tmp"):
        fd = os.open("/tmp", os.O_RDONLY)
        for level in range(DEPTH):
            name = mine if level == 0 else "d"
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        os.close(fd)
    return x * 2
