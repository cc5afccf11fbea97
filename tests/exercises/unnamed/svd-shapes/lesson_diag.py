# named: full-form-misaligned
# The lesson's U @ np.diag(s) @ Vt: right for the thin form, misaligned for the full one.
import numpy as np


def svd_parts(A, full=False):
    return np.linalg.svd(np.asarray(A, dtype=float), full_matrices=full)


def reconstruct(U, s, Vt):
    return U @ np.diag(s) @ Vt
