def standardise(X):
    """Each column centred and divided by its population standard deviation; a constant column becomes 0."""
    raise NotImplementedError


def pca_standardised(X, k):
    """PCA of standardise(X): (components (k, d), scores (n, k), explained_variance_ratio (k,))."""
    raise NotImplementedError
