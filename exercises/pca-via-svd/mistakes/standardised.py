# expect: standardised-data
# Standardises the columns first, as the lesson does before calling PCA.
import numpy as np


def pca(X, k):
    Z = (X - X.mean(axis=0)) / X.std(axis=0)
    U, s, Vt = np.linalg.svd(Z, full_matrices=False)
    return Vt[:k], Z @ Vt[:k].T, s[:k] ** 2 / np.sum(s**2)
