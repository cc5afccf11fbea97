# expect: returned-v-not-vt
import numpy as np


def svd_parts(A, full=False):
    U, s, Vt = np.linalg.svd(A, full_matrices=full)
    return U, s, Vt.T


def reconstruct(U, s, Vt):
    k = len(s)
    return (U[:, :k] * s) @ Vt[:k]
