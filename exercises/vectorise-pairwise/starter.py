def pairwise_sq_dists(X, Y):
    """D[i, j] = ||X[i] - Y[j]||^2, shape (n, m). No Python loops allowed."""
    raise NotImplementedError
