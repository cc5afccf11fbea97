# expect: ratio-from-sigma
import numpy as np


def pca(X, k):
    Xc = X - X.mean(axis=0)
    U, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    return Vt[:k], Xc @ Vt[:k].T, s[:k] / s.sum()
