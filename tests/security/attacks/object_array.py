"""expect: wrong_answer
An object array: loading it back would need pickle.
"""

import numpy as np


def solve(x):
    out = np.empty(x.shape, dtype=object)
    out[...] = "2x"
    return out
