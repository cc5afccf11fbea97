# expect: absolute-tolerance
# hint: 2
import numpy as np


def numerical_rank(A, rtol=None):
    s = np.linalg.svd(A, compute_uv=False)
    return int(np.sum(s > 1e-10))
