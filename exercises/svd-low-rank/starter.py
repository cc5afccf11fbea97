def low_rank(A, k):
    """The best rank-k approximation of A (keep the k largest singular values)."""
    raise NotImplementedError


def energy_kept(A, k):
    """Share of sum(sigma**2) carried by the k largest singular values."""
    raise NotImplementedError
