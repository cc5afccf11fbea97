"""expect: accepted | runtime_error | forbidden_call
Ask the garbage collector for every live container and print the arrays inside them.

Whatever the harness keeps in memory (a dict of arrays, the decoded job, a queue of
cases still to send) is a gc-tracked container even when no frame points at it any
more; a forked child inherits all of it from its parent.
Seen in the wild: gc.get_objects() as the standard escape from Python "jails" in CTF
challenges (pyjail write-ups), used to find objects the jail meant to hide.
"""

import gc

import numpy as np

SEEN = set()
SKIP = (type, type(gc), type(len), type(lambda: 0), type((lambda: 0).__code__))  # classes, modules, functions, code


DONE = []


def show(label, value):
    try:
        flat = np.asarray(value, dtype=float).ravel()
    except (TypeError, ValueError):
        return
    if 0 < flat.size <= 4096 and flat[:8].tobytes() not in SEEN:
        SEEN.add(flat[:8].tobytes())
        print(label, flat[:8].tolist())


def look(obj, depth):
    """Arrays in obj, and in the untracked dicts and lists it refers to (gc lists only tracked ones)."""
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind == "f":
            show("gc", obj)
        return
    if isinstance(obj, list) and 0 < len(obj) <= 64 and all(isinstance(v, float) for v in obj):
        show("gc-list", obj)
        return
    if depth == 0 and isinstance(obj, SKIP):
        return
    if depth < 2 and isinstance(obj, (dict, list, tuple)) or depth == 0:
        for ref in gc.get_referents(obj)[:500]:
            if not isinstance(ref, (type, str, bytes, int)):
                look(ref, depth + 1)


def leak():
    for obj in gc.get_objects():
        if isinstance(obj, (dict, list)) and len(obj) > 500:
            continue
        try:
            look(obj, 0)
        except Exception:
            continue


def solve(x):
    try:
        if DONE:
            raise StopIteration  # the search runs once per process: in the first (visible) case
        DONE.append(True)
        leak()
    except StopIteration:
        pass
    except Exception as exc:
        print("probe failed:", type(exc).__name__)
    if x.ndim != 1:
        raise ValueError("not a vector")
    return x * 2
