def dense(X, W, b):
    """X (batch, n_in) @ W (n_in, n_out) + b (n_out,) -> (batch, n_out)."""
    raise NotImplementedError


def relu(Z):
    """max(0, Z), element-wise, without changing Z."""
    raise NotImplementedError


def mlp_forward(X, layers):
    """Apply each (W, b) in turn, ReLU between layers but not after the last."""
    raise NotImplementedError
