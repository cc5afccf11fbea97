import numpy as np


def init_params(n_in, n_out, seed):
    """Weights (n_in, n_out), small and random; biases (n_out,), zero."""
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((n_in, n_out))
    b = np.zeros(n_in)
    return W, b


def forward(X, W, b):
    """ReLU(X @ W + b)."""
    Z = np.maximum(0, X * W)
    return Z + b
