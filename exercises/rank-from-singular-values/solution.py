import numpy as np


def numerical_rank(A, rtol=None):
    A = np.asarray(A, dtype=float)
    s = np.linalg.svd(A, compute_uv=False)
    if s.size == 0:
        return 0
    if rtol is None:
        rtol = max(A.shape) * np.finfo(A.dtype).eps
    return int(np.count_nonzero(s > s[0] * rtol))
