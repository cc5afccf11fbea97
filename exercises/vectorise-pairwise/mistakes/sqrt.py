# expect: took-square-root
import numpy as np


def pairwise_sq_dists(X, Y):
    D = (X**2).sum(1)[:, None] + (Y**2).sum(1)[None, :] - 2 * X @ Y.T
    return np.sqrt(np.maximum(D, 0))
