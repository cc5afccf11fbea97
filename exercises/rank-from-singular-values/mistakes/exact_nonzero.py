# expect: counted-exact-nonzeros
import numpy as np


def numerical_rank(A, rtol=None):
    s = np.linalg.svd(A, compute_uv=False)
    return int(np.count_nonzero(s))
