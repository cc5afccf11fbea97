import numpy as np


def forward(X, params):
    """A two-layer model; it crashes. Make it run and compute what the statement says.

    X: (n, ...) samples (flatten each to d features). params: W1 (h, d) stored as
    (out, in) like torch.nn.Linear, b1 (h,), W2 (h, k), b2 (k,). Returns (n, k).
    """
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    H = np.maximum(0.0, X @ W1 + b1)
    H = H - H.mean(axis=1)
    return H @ W2 + b2
