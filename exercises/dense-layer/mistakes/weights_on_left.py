# expect: weights-on-the-left
# also: transposed-shape
import numpy as np


def dense(X, W, b):
    return W.T @ X.T + b[:, None]


def relu(Z):
    return np.maximum(0, Z)


def mlp_forward(X, layers):
    out = X.T
    for i, (W, b) in enumerate(layers):
        out = W.T @ out + b[:, None]
        if i < len(layers) - 1:
            out = relu(out)
    return out.T
