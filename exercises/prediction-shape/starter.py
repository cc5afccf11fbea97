import numpy as np


def predict(X, layers):
    """ReLU after every layer but the last; one prediction per row: (n,) for one output, else (n, m)."""
    A = X
    for W, b in layers[:-1]:
        A = np.maximum(0, A @ W + b)
    W, b = layers[-1]
    Z = A @ W + b  # no activation on the output: the raw number is the prediction
    return Z.squeeze()
