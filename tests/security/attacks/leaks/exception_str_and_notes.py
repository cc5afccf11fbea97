"""expect: runtime_error | wrong_answer | forbidden_call
Raise a built-in-looking exception whose str(), repr(), args and notes spell out the inputs.

The class subclasses ValueError (so a grader that names only built-in classes might
still quote it) and is even called "ValueError"; its __str__/__repr__ are the
learner's, its notes (PEP 678) too, and it is chained to a second learner exception.
Seen in the wild: learner-defined __str__ as a channel through "message hidden"
filters that print repr() or the exception chain instead.
"""

import numpy as np

VISIBLE = [0.0, 1.0, 2.0, 3.0]


def solve(x):
    values = np.asarray(x, dtype=float).ravel().tolist()
    if values == VISIBLE:
        return x * 2
    text = "LEARNER_TEXT " + " ".join(repr(v) for v in values)
    leaky = type("ValueError", (ValueError,), {"__str__": lambda self: text, "__repr__": lambda self: text})
    error = leaky(text)
    if hasattr(error, "add_note"):
        error.add_note(text)
    try:
        raise KeyError(text)
    except KeyError as cause:
        raise error from cause
