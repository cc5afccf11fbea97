"""expect: accepted | runtime_error | forbidden_call
Search every imported module (the harness's own included) for arrays, down to class attributes.

The harness runs in the same interpreter; a module-level cache, a class attribute, a
default argument or a closure cell holding the job is one attribute walk away.
Seen in the wild: submissions importing the grader's own test module
(`import tests; tests.EXPECTED`) on autograders that put it on sys.path.
"""

import sys

import numpy as np

SEEN = set()


DONE = []


def show(label, value):
    try:
        flat = np.asarray(value, dtype=float).ravel()
    except (TypeError, ValueError):
        return
    if 0 < flat.size <= 4096 and flat[:8].tobytes() not in SEEN:
        SEEN.add(flat[:8].tobytes())
        print(label, flat[:8].tolist())


def walk(value, label, depth, visited):
    if id(value) in visited or depth > 6:
        return
    visited.add(id(value))
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f":
            show(label, value)
        return
    if isinstance(value, dict):
        items = list(value.items())[:5000]
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = list(enumerate(value))[:5000]
    elif callable(value) and hasattr(value, "__closure__"):
        cells = value.__closure__ or ()
        items = [("default", value.__defaults__), ("kw", value.__kwdefaults__)]
        items += [(i, c.cell_contents) for i, c in enumerate(cells) if _filled(c)]
    elif hasattr(value, "__dict__"):
        items = [("__dict__", vars(value))]
    else:
        return
    for key, item in items:
        walk(item, f"{label}.{key}", depth + 1, visited)


def _filled(cell):
    try:
        cell.cell_contents
        return True
    except ValueError:
        return False


def solve(x):
    try:
        if DONE:
            raise StopIteration  # the search runs once per process: in the first (visible) case
        DONE.append(True)
        visited = set()
        for name, module in list(sys.modules.items()):
            if module is not None and not name.startswith(("numpy", "_", "encodings", "importlib")):
                walk(vars(module), name, 0, visited)
    except StopIteration:
        pass
    except Exception as exc:
        print("probe failed:", type(exc).__name__)
    if x.ndim != 1:
        raise ValueError("not a vector")
    return x * 2
