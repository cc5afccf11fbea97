def attention(q, k, v, causal=False):
    """softmax(q k^T / sqrt(d) [+ causal mask]) v for float32 tensors of shape (..., T, d)."""
    raise NotImplementedError
