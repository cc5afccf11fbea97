"""expect: accepted | runtime_error | forbidden_call
Remember every input ever received (in memory and in /tmp) and print them all on every call.

Whatever order the cases come in, and however often the process is restarted, a
visible case that runs after a hidden one in the same process or container prints
the hidden one's inputs, where the learner can read them.
Seen in the wild: state carried between test cases through globals or files, the
leak behind gpu-mode/pygpubench#49 (results kept between timed runs).
"""

import json
import os

import numpy as np

STASH = "/tmp/.seen-inputs.json"
SEEN_INPUTS = []


def solve(x):
    try:
        SEEN_INPUTS.append(np.asarray(x, dtype=float).ravel()[:8].tolist())
        old = []
        if os.path.exists(STASH):
            with open(STASH) as handle:
                old = json.load(handle)
        with open(STASH, "w") as handle:
            json.dump(old + SEEN_INPUTS[-1:], handle)
        for values in old + SEEN_INPUTS:
            print("seen", values)
    except Exception as exc:
        print("probe failed:", type(exc).__name__)
    if x.ndim != 1:
        raise ValueError("not a vector")
    return x * 2
