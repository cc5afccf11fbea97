# Eigenvectors of Z^T Z / n (the correlation matrix), every sign flipped, plain lists out.
import numpy as np


def standardise(X):
    mean = np.mean(X, axis=0)
    std = np.std(X, axis=0)
    std[std == 0] = 1
    return (X - mean) / std


def pca_standardised(X, k):
    Z = standardise(X)
    values, vectors = np.linalg.eigh(Z.T @ Z / len(Z))
    order = np.argsort(values)[::-1][:k]
    components = -vectors[:, order].T
    ratio = values[order] / values.sum()
    return components.tolist(), (Z @ components.T).tolist(), ratio.tolist()
