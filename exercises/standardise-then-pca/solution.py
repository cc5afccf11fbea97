import numpy as np


def standardise(X):
    X = np.asarray(X, dtype=float)
    std = X.std(axis=0)  # population std (ddof = 0), as StandardScaler
    safe = np.where(std > 0, std, 1.0)  # a constant column: divide by 1, so it stays 0
    return (X - X.mean(axis=0)) / safe


def pca_standardised(X, k):
    Z = standardise(X)
    _, s, Vt = np.linalg.svd(Z, full_matrices=False)
    components = Vt[:k]
    return components, Z @ components.T, s[:k] ** 2 / np.sum(s**2)
