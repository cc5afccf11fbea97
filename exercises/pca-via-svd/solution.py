import numpy as np


def pca(X, k):
    X = np.asarray(X, dtype=float)
    Xc = X - X.mean(axis=0)
    U, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    components = Vt[:k]
    scores = Xc @ components.T
    ratio = s[:k] ** 2 / np.sum(s**2)
    return components, scores, ratio
