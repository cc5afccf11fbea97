"""expect: runtime_error | wrong_answer | forbidden_call
Raise, in every hidden case, an exception class whose name, qualname and module spell out the inputs.

type("<any text>", (Exception,), {}) makes a class named by the learner; feedback that
quotes "your code raised <class name>" (or its module) prints the hidden input. On the
case that expects ValueError the same class is quoted as "but your code raised <name>".
Seen in the wild: error-message side channels on online judges (solutions that encode
the failing test's input in an exception text the judge echoes back).
"""

import numpy as np

VISIBLE = [0.0, 1.0, 2.0, 3.0]


def solve(x):
    values = np.asarray(x, dtype=float).ravel().tolist()
    if values == VISIBLE:
        return x * 2
    text = "LEARNER_TEXT " + " ".join(repr(v) for v in values)
    name = "LEARNER_TEXT_" + "_".join(repr(v).replace(".", "p").replace("-", "m") for v in values)
    leaky = type(name, (Exception,), {"__module__": text, "__qualname__": text})
    raise leaky(text)
