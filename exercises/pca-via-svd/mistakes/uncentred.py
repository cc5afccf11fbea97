# expect: uncentred-data
import numpy as np


def pca(X, k):
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    return Vt[:k], X @ Vt[:k].T, s[:k] ** 2 / (s**2).sum()
