# Every component negated together with its scores; plain lists out; eigh of the covariance.
import numpy as np


def pca(X, k):
    Xc = X - X.mean(axis=0)
    values, vectors = np.linalg.eigh(Xc.T @ Xc)
    order = np.argsort(values)[::-1]
    components = -vectors[:, order[:k]].T
    scores = Xc @ components.T
    ratio = values[order[:k]] / values.sum()
    return components.tolist(), scores.tolist(), list(ratio)
