"""expect: wrong_answer
NaN compares unequal to everything, which some checkers turn into a pass.
"""

import numpy as np


def solve(x):
    out = np.full_like(x, np.nan, dtype=float)
    out.flat[0] = np.inf
    return out
