import numpy as np


def predict(X, layers):
    A = np.asarray(X, dtype=float)
    for W, b in layers[:-1]:
        A = np.maximum(0.0, A @ W + b)
    W, b = layers[-1]
    Z = A @ W + b  # (n, m): no activation on the output layer
    return Z[:, 0] if Z.shape[-1] == 1 else Z
