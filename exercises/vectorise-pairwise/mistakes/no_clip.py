# expect: negative-distances


def pairwise_sq_dists(X, Y):
    return (X**2).sum(1)[:, None] + (Y**2).sum(1)[None, :] - 2 * X @ Y.T
