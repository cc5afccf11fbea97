# expect: missing-size-factor
import numpy as np


def numerical_rank(A, rtol=None):
    s = np.linalg.svd(A, compute_uv=False)
    if rtol is None:
        rtol = np.finfo(float).eps
    return int(np.sum(s > s.max() * rtol))
