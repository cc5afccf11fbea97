# expect: per-sample-axis
# hint: 4
# Fixed the first layer; the per-sample mean still lacks its column axis.
import numpy as np


def forward(X, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    X = np.asarray(X, dtype=float)
    X = X.reshape(len(X), -1)  # (n, ...) -> (n, d): one row of features per sample
    H = np.maximum(0.0, X @ W1.T + b1)  # W1 is (h, d): (n, d) @ (d, h) -> (n, h)
    H = H - H.mean(axis=1)  # each sample's mean, as a column (n, 1)
    return H @ W2 + b2  # (n, h) @ (h, k) -> (n, k)
