import numpy as np


def pairwise_sq_dists(X, Y):
    sq = np.sum(X * X, axis=1, keepdims=True) + np.sum(Y * Y, axis=1) - 2 * np.dot(X, Y.T)
    return np.where(sq < 0, 0.0, sq)
