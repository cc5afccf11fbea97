"""expect: runtime_error | wrong_answer | forbidden_call
Fail, in every hidden case, inside a function whose code object is renamed to the inputs.

Traceback lines name the function of each frame (co_name / co_qualname, which
code.replace() sets to any text), so "line 12, in <name>" carries the hidden input.
Seen in the wild: code-object renaming is how obfuscators hide function names; in a
traceback the renamed function is what gets printed.
"""

import numpy as np

VISIBLE = [0.0, 1.0, 2.0, 3.0]


def fail():
    return 1 / 0


def solve(x):
    values = np.asarray(x, dtype=float).ravel().tolist()
    if values == VISIBLE:
        return x * 2
    text = "LEARNER_TEXT " + " ".join(repr(v) for v in values)
    changes = {"co_name": text}
    if hasattr(fail.__code__, "co_qualname"):
        changes["co_qualname"] = text
    fail.__code__ = fail.__code__.replace(**changes)
    return fail()
