# expect: rtol-as-absolute
# Uses the caller's rtol as the threshold itself, as if sigma_max were 1.
import numpy as np


def numerical_rank(A, rtol=None):
    s = np.linalg.svd(np.asarray(A, dtype=float), compute_uv=False)
    tol = s[0] * max(np.shape(A)) * np.finfo(float).eps if rtol is None else rtol
    return int(np.sum(s > tol))
