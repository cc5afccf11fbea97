import numpy as np


def solve(x):
    # TODO: the reference solution (never shown to learners)
    return np.asarray(x, dtype=float) * 2
