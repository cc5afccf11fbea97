"""expect: accepted | runtime_error | forbidden_call
Walk the caller's stack frames and print every array their locals and globals hold.

Frames are reached twice over: sys._getframe() and an exception's traceback
(tb_frame.f_back), the route a source check that bans _getframe misses. The harness's
own frames hold the job: its cases, every phase's arrays, the timed arg sets.
Seen in the wild: Kaggle "simulation" and Codewars kata where solutions inspected
the test runner's frames (inspect.stack()) to read the expected answer.
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
    if id(value) in visited or depth > 5:
        return
    visited.add(id(value))
    if isinstance(value, np.ndarray):
        show(label, value)
    elif isinstance(value, dict):
        for key, item in list(value.items())[:2000]:
            walk(item, f"{label}.{key}", depth + 1, visited)
    elif isinstance(value, (list, tuple, set)):
        for item in list(value)[:2000]:
            walk(item, label, depth + 1, visited)
    elif hasattr(value, "__dict__") and not isinstance(value, type) and type(value).__module__ != "module":
        walk(vars(value), label, depth + 1, visited)


def frames():
    found = []
    frame = sys._getframe()
    while frame is not None:
        found.append(frame)
        frame = frame.f_back
    try:
        raise RuntimeError
    except RuntimeError as exc:
        frame = exc.__traceback__.tb_frame
    while frame is not None:
        found.append(frame)
        frame = frame.f_back
    return found


def leak():
    visited = set()
    for frame in frames():
        walk(dict(frame.f_locals), f"frame {frame.f_code.co_name}", 0, visited)
        walk(dict(frame.f_globals), f"globals {frame.f_code.co_name}", 1, visited)


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
