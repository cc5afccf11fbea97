# expect: ratio-from-sigma
import numpy as np


def standardise(X):
    std = X.std(axis=0)
    return (X - X.mean(axis=0)) / np.where(std == 0, 1.0, std)


def pca_standardised(X, k):
    Z = standardise(X)
    U, s, Vt = np.linalg.svd(Z, full_matrices=False)
    return Vt[:k], Z @ Vt[:k].T, s[:k] / s.sum()
