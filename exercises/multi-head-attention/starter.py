def split_heads(X, num_heads):
    """(B, T, D) -> (B, H, T, D // H)."""
    raise NotImplementedError


def merge_heads(X):
    """(B, H, T, d_h) -> (B, T, H * d_h), the inverse of split_heads."""
    raise NotImplementedError


def multi_head_attention(X, Wq, Wk, Wv, Wo, num_heads, causal=False):
    """Project, split, attend per head (scale sqrt(d_h)), merge, project with Wo."""
    raise NotImplementedError
