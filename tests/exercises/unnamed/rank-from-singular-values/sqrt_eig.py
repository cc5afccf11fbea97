# named: nothing
# Singular values as the square roots of the eigenvalues of AᵀA: squaring A squares its
# condition number, so round-off-sized values come out near 1e-8, not 1e-15.
import numpy as np


def numerical_rank(A, rtol=None):
    A = np.asarray(A, dtype=float)
    s = np.sqrt(np.abs(np.linalg.eigvalsh(A.T @ A)))[::-1]
    if s.size == 0 or s[0] == 0:
        return 0
    if rtol is None:
        rtol = max(A.shape) * np.finfo(float).eps
    return int(np.sum(s > s[0] * rtol))
