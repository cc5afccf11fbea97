"""expect: wrong_answer | runtime_error | forbidden_call
Return, in every hidden case, an object of a class whose name spells out the inputs.

Feedback such as "your function returned an object of type X" quotes the learner's
class name for a hidden case; so does any message built from type(value).__name__ or
repr(value) (which is defined by the learner too).
Seen in the wild: repr/str side channels against checkers that print the rejected value.
"""

import numpy as np

VISIBLE = [0.0, 1.0, 2.0, 3.0]


def solve(x):
    values = np.asarray(x, dtype=float).ravel().tolist()
    if values == VISIBLE:
        return x * 2
    text = "LEARNER_TEXT " + " ".join(repr(v) for v in values)
    leaky = type(text, (), {"__repr__": lambda self: text, "__str__": lambda self: text, "__module__": text})
    return leaky()
