def attention(Q, K, V, mask=None):
    """Return (softmax(Q K^T / sqrt(d)) V, the weights). mask: True = may attend."""
    raise NotImplementedError
