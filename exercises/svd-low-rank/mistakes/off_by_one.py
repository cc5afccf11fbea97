# expect: off-by-one-rank
import numpy as np


def low_rank(A, k):
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    return U[:, : k + 1] @ np.diag(s[: k + 1]) @ Vt[: k + 1]


def energy_kept(A, k):
    s = np.linalg.svd(A, compute_uv=False)
    return float((s[:k] ** 2).sum() / (s**2).sum())
