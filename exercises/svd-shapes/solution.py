import numpy as np


def svd_parts(A, full=False):
    U, s, Vt = np.linalg.svd(np.asarray(A, dtype=float), full_matrices=bool(full))
    return U, s, Vt


def reconstruct(U, s, Vt):
    s = np.asarray(s, dtype=float)
    k = s.shape[0]
    # Only the first k columns of U and rows of Vt meet a singular value.
    return (np.asarray(U, dtype=float)[:, :k] * s) @ np.asarray(Vt, dtype=float)[:k, :]
