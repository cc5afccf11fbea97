"""expect: forbidden_call
Reach a forbidden function by a computed name, past a naive source check.
"""

import numpy as np


def solve(x):
    product = getattr(np, "mat" + "mul")
    return product(x, np.eye(x.shape[-1])) * 2 if x.ndim > 1 else x * 2
