# expect: not-centred
import numpy as np


def standardise(X):
    std = X.std(axis=0)
    return X / np.where(std == 0, 1.0, std)


def pca_standardised(X, k):
    Z = standardise(X)
    U, s, Vt = np.linalg.svd(Z, full_matrices=False)
    return Vt[:k], Z @ Vt[:k].T, s[:k] ** 2 / (s**2).sum()
