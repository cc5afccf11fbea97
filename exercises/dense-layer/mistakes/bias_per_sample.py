# expect: bias-per-sample
import numpy as np


def dense(X, W, b):
    Z = X @ W
    if b.shape[0] == Z.shape[0]:
        return Z + b.reshape(-1, 1)
    return Z + b


def relu(Z):
    return np.maximum(0, Z)


def mlp_forward(X, layers):
    out = X
    for i, (W, b) in enumerate(layers):
        out = dense(out, W, b)
        if i < len(layers) - 1:
            out = relu(out)
    return out
