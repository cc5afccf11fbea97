# A NumPy integer total (np.int64), as np.sum and np.prod return.
import numpy as np


def count_params(shapes):
    return np.sum([np.prod(s) + s[1] for s in shapes], dtype=np.int64)
