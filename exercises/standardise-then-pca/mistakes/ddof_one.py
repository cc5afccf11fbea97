# expect: ddof-one
# The sample standard deviation (as pandas' .std() gives by default), not StandardScaler's.
import numpy as np


def standardise(X):
    std = X.std(axis=0, ddof=1)
    return (X - X.mean(axis=0)) / np.where(std == 0, 1.0, std)


def pca_standardised(X, k):
    Z = standardise(X)
    U, s, Vt = np.linalg.svd(Z, full_matrices=False)
    return Vt[:k], Z @ Vt[:k].T, s[:k] ** 2 / (s**2).sum()
