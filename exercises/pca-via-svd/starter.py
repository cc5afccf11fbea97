def pca(X, k):
    """Return (components (k, d), scores (n, k), explained_variance_ratio (k,))."""
    raise NotImplementedError
