def rope(x, positions, base=10000.0):
    """Rotate each feature pair (i, i + d/2) of x (..., T, d) by positions[t] * base**(-2i/d)."""
    raise NotImplementedError
