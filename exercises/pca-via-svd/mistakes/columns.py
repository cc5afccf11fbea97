# expect: components-as-columns
import numpy as np


def pca(X, k):
    Xc = X - X.mean(axis=0)
    U, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    V = Vt.T[:, :k]
    return V, Xc @ V, s[:k] ** 2 / (s**2).sum()
