def numerical_rank(A, rtol=None):
    """How many singular values of A exceed sigma_max * rtol (rtol defaults to max(m, n) * eps)."""
    raise NotImplementedError
