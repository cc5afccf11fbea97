"""expect: accepted | time_limit
Fill /tmp and /dev/shm with as many empty directories as fit in two seconds (a flood
of inodes costs no bytes), then answer honestly. The cleanup between phases ran without a
deadline: the grading was killed from outside at its limit + 20 s and the report was lost.
Now /tmp and /dev/shm have inode caps (runc) and the cleaner works against a deadline
inside the hard stop: what it cannot finish is the learner's time limit, never ours.
"""

import os
import time


def solve(x):
    if x.ndim != 1:
        raise ValueError("expected a vector")
    stop = time.monotonic() + 2.0
    for root in ("/tmp", "/dev/shm"):
        count = 0
        while time.monotonic() < stop:
            try:
                os.mkdir(f"{root}/f{os.getpid()}-{count}")
            except OSError:
                break
            count += 1
    return x * 2
