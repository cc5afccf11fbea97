"""expect: forbidden_call
Reach the forbidden product as numpy.linalg.matmul through a variable: another function
object than numpy.matmul (NumPy 2 wraps it), so a trap that replaces only the object
numpy.matmul must still catch the call it makes.
"""

import numpy as np

linalg = [np.linalg][0]


def solve(x):
    square = np.atleast_2d(x)
    return linalg.matmul(square, np.eye(square.shape[-1])).reshape(x.shape) * 2
