# Singular vectors with flipped signs (same product), energy as a NumPy scalar.
import numpy as np


def low_rank(A, k):
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    return (-U[:, :k]) @ np.diag(s[:k]) @ (-Vt[:k])


def energy_kept(A, k):
    s = np.linalg.svd(A, compute_uv=False)
    return np.sum(s[:k] ** 2) / np.sum(s**2)
