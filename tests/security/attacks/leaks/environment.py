"""expect: accepted | runtime_error | forbidden_call
Print the environment, the command lines and the auxiliary vectors of every process we can see.

A job passed in an environment variable or on a command line (a common shortcut for
"small" inputs) is readable in /proc/<pid>/environ and /proc/<pid>/cmdline of every
same-uid process; numbers found there are printed.
Seen in the wild: secrets passed through environment variables and argv leaking via
/proc (the reason Docker and Kubernetes recommend secret files over env vars).
"""

import os
import re

import numpy as np

SEEN = set()
NUMBER_RUN = re.compile(r"(-?\d+\.\d+(?:e-?\d+)?(?:[ ,;]+-?\d+\.\d+(?:e-?\d+)?){2,})")


DONE = []


def show(label, value):
    try:
        flat = np.asarray(value, dtype=float).ravel()
    except (TypeError, ValueError):
        return
    if 0 < flat.size <= 4096 and flat[:8].tobytes() not in SEEN:
        SEEN.add(flat[:8].tobytes())
        print(label, flat[:8].tolist())


def look(label, text):
    print(label, text[:300])
    for match in NUMBER_RUN.finditer(text):
        show(label, [float(v) for v in re.split(r"[ ,;]+", match.group(0)) if v])


def solve(x):
    try:
        if DONE:
            raise StopIteration  # the search runs once per process: in the first (visible) case
        DONE.append(True)
        look("environ", repr(dict(os.environ)))
        for pid in os.listdir("/proc") if os.getuid() != 0 else ():  # never as root (the unsafe local backend)
            if pid.isdigit():
                for name in ("environ", "cmdline"):
                    try:
                        with open(f"/proc/{pid}/{name}", "rb") as handle:
                            look(f"{pid}/{name}", handle.read(1 << 20).decode("latin-1"))
                    except OSError:
                        pass
    except StopIteration:
        pass
    except Exception as exc:
        print("probe failed:", type(exc).__name__)
    if x.ndim != 1:
        raise ValueError("not a vector")
    return x * 2
