# expect: ignored-full
import numpy as np


def svd_parts(A, full=False):
    return np.linalg.svd(A, full_matrices=False)


def reconstruct(U, s, Vt):
    k = len(s)
    return (U[:, :k] * s) @ Vt[:k]
