"""expect: forbidden_call
Reach the forbidden function through a variable the source check cannot follow;
the guard inside the sandbox must still refuse the call.
"""

import numpy as np

library = [np][0]


def solve(x):
    return library.matmul(np.atleast_2d(x), np.eye(np.atleast_2d(x).shape[-1])).reshape(x.shape) * 2
