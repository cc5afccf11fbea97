# expect: ignored-rtol
import numpy as np


def numerical_rank(A, rtol=None):
    s = np.linalg.svd(A, compute_uv=False)
    tol = s.max() * max(A.shape) * np.finfo(float).eps
    return int(np.sum(s > tol))
