# Direct differences by broadcasting (no expansion, so no round-off below 0), summed over the last axis.
import numpy as np


def pairwise_sq_dists(X, Y):
    diff = X[:, None, :] - Y[None, :, :]
    return np.einsum("ijk,ijk->ij", diff, diff)
