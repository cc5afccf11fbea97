"""expect: wrong_answer
Plant symlinks to host files where a careless grader would read results from.
Seen in the wild: compiler-explorer/compiler-explorer#6026 (a symlinked output file made
the web server read /etc/passwd outside the sandbox); judge0/judge0#550 (symlink attacks).
"""

import os


def solve(x):
    for name in ("/tmp/results.json", "/tmp/job/results.json", "/tmp/output.npy"):
        try:
            os.symlink("/etc/shadow", name)
        except OSError:
            pass
    return x * 3
