"""expect: accepted
Leave a directory in /tmp that nobody may read, inside one that nobody may write. The
cleanup between phases (shutil.rmtree with an error handler that called os.open with the
wrong arguments) raised TypeError, and the grading ended as "internal error". The cleaner
now makes each directory 0700 before it enters it (it runs as the learner's uid, which owns
them). Then answer honestly.
"""

import os


def solve(x):
    if x.ndim != 1:
        raise ValueError("expected a vector")
    outer = f"/tmp/locked-{os.getpid()}"
    if not os.path.exists(outer):
        os.makedirs(f"{outer}/inner/deeper")
        with open(f"{outer}/inner/deeper/file", "w") as handle:
            handle.write("left behind")
        os.chmod(f"{outer}/inner/deeper", 0)
        os.chmod(f"{outer}/inner", 0o100)
        os.chmod(outer, 0o500)
    return x * 2
