# expect: verdict=wrong_answer
# Clips the caller's array in place and returns None.
import numpy as np


def dense(X, W, b):
    return X @ W + b


def relu(Z):
    Z[Z < 0] = 0


def mlp_forward(X, layers):
    out = X
    for i, (W, b) in enumerate(layers):
        out = dense(out, W, b)
        if i < len(layers) - 1:
            out = np.maximum(out, 0)
    return out
