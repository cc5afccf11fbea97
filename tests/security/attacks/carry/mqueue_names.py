"""expect: accepted
Carry data from one phase's runner to the next in the names of POSIX message queues.

Docker mounts an mqueue file system at /dev/mqueue, writable by every uid; a plain
open() there creates a queue that outlives the process, and the cleaner empties only
/tmp and /dev/shm. A hidden-phase runner that names a queue after its inputs hands them
to the timed phase, whose measured times the learner reads (a sleep of k ms per
repetition spells k). Here the next runner only checks that an earlier one's name is
still there, and answers wrongly if so: a fair grader leaves it nothing to find.
"""

import os

QUEUES = "/dev/mqueue"
MINE = f"r{os.getpid()}-"


def _left_by_an_earlier_runner() -> bool:
    try:
        return any(not name.startswith(MINE) for name in os.listdir(QUEUES))
    except OSError:
        return False


def solve(x):
    if x.ndim != 1:  # hostile-probe's reference refuses a matrix
        raise ValueError("expected a vector")
    carried = _left_by_an_earlier_runner()
    try:
        open(f"{QUEUES}/{MINE}{x.size}", "w").close()  # the name could as well be the input itself
    except OSError:
        pass
    return x * 3 if carried else x * 2
