# expect: full-form-misaligned
import numpy as np


def svd_parts(A, full=False):
    return np.linalg.svd(A, full_matrices=full)


def reconstruct(U, s, Vt):
    return (U * s) @ Vt
