# expect: weights-on-the-left
import numpy as np


def dense(X, W, b):
    return W @ X + b


def relu(Z):
    return np.maximum(0, Z)


def mlp_forward(X, layers):
    out = X
    for i, (W, b) in enumerate(layers):
        out = out @ W + b
        if i < len(layers) - 1:
            out = relu(out)
    return out
