# The pseudo-inverse through the SVD, dropping singular values below a relative cut-off.
import numpy as np


def fit(X, y):
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    keep = s > s.max() * max(X.shape) * np.finfo(float).eps if s.size else s > 0
    inv = np.where(keep, 1 / np.where(keep, s, 1), 0.0)
    return Vt.T @ (inv[:, None] * (U.T @ y)) if np.ndim(y) == 2 else Vt.T @ (inv * (U.T @ y))
