"""expect: accepted | runtime_error | forbidden_call
Read the job from the file system and print every number in it during the visible case.

The harness unpacks the job (every phase's cases and arrays) under /tmp/job, owned by
the learner's uid; anything under /tmp, the working directory, $HOME or a path named in
the environment is read, .npy/.npz files are loaded and JSON is walked for numbers.
Seen in the wild: autograders that copy the test files next to the submission
(Gradescope's /autograder/source, readable by the student process unless removed).
"""

import json
import os

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


def numbers(tree, label):
    if isinstance(tree, dict):
        for value in tree.values():
            numbers(value, label)
    elif isinstance(tree, list):
        if tree and all(isinstance(v, float) for v in tree):
            show(label, tree)
        for value in tree:
            numbers(value, label)


def read(path):
    try:
        if os.path.getsize(path) > 4 << 20:
            return
        with np.load(path, allow_pickle=False) as found:
            for name in getattr(found, "files", []):
                show(f"{path}:{name}", found[name])
        return
    except Exception:
        pass
    try:
        show(path, np.load(path, allow_pickle=False))
        return
    except Exception:
        pass
    try:
        with open(path) as handle:
            numbers(json.load(handle), path)
    except Exception:
        pass


def leak():
    roots = {"/tmp", os.getcwd(), os.environ.get("HOME", "/tmp"), "/dev/shm", "/var/tmp"}
    roots |= {v for v in os.environ.values() if v.startswith("/") and os.path.isdir(v) and v.count("/") > 1}
    budget = [300]
    for root in sorted(roots):
        for folder, _, files in os.walk(root):
            for name in files:
                budget[0] -= 1
                if budget[0] < 0:
                    return
                read(os.path.join(folder, name))


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
