"""expect: forbidden_call
The same function under another module path (numpy.core.multiarray.matmul).
"""

import numpy as np


def solve(x):
    return np.core.multiarray.matmul(np.atleast_2d(x), np.eye(np.atleast_2d(x).shape[-1])).reshape(x.shape) * 2
