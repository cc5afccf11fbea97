# expect: s-on-wrong-axis
import numpy as np


def svd_parts(A, full=False):
    return np.linalg.svd(A, full_matrices=full)


def reconstruct(U, s, Vt):
    k = len(s)
    return U[:, :k] @ (Vt[:k] * s)
