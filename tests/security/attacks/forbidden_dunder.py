"""expect: forbidden_call
The operator's method, called by name: x.__matmul__(y).
"""

import numpy as np


def solve(x):
    return np.atleast_2d(x).__matmul__(np.eye(np.atleast_2d(x).shape[-1])).reshape(x.shape) * 2
