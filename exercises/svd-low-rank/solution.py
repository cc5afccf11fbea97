import numpy as np


def low_rank(A, k):
    U, s, Vt = np.linalg.svd(np.asarray(A, dtype=float), full_matrices=False)
    return (U[:, :k] * s[:k]) @ Vt[:k]


def energy_kept(A, k):
    s = np.linalg.svd(np.asarray(A, dtype=float), compute_uv=False)
    total = float(np.sum(s**2))
    return float(np.sum(s[:k] ** 2) / total) if total > 0 else 1.0
