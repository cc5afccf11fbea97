# expect: greater-or-equal
# hint: 3
# Counts the singular values at the threshold too.
import numpy as np


def numerical_rank(A, rtol=None):
    A = np.asarray(A, dtype=float)
    s = np.linalg.svd(A, compute_uv=False)
    if rtol is None:
        rtol = max(A.shape) * np.finfo(float).eps
    return int(np.sum(s >= s[0] * rtol))
