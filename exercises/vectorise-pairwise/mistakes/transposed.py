# expect: transposed-shape
import numpy as np


def pairwise_sq_dists(X, Y):
    return np.maximum((Y**2).sum(1)[:, None] + (X**2).sum(1)[None, :] - 2 * Y @ X.T, 0)
