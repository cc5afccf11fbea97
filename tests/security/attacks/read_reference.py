"""expect: wrong_answer
Look everywhere we can for the reference solution or the cases and use them.
System directories come from Debian's packages; everything else is searched.
"""

import os

SKIP = ("/proc", "/sys", "/dev", "/usr", "/lib", "/lib64", "/bin", "/sbin", "/var/lib/dpkg")


def solve(x):
    for root, dirs, files in os.walk("/"):
        if root.startswith(SKIP):
            dirs[:] = []
            continue
        for name in files:
            path = os.path.join(root, name)
            if path == "/tmp/job/submission.py" or not name.endswith(".py"):
                continue
            try:
                with open(path, errors="ignore") as handle:
                    text = handle.read(1 << 20)
            except OSError:
                continue
            if "build_cases" in text or "def solve" in text:
                return x * 2  # found the reference or the cases: would cheat from here
    return x * 3
