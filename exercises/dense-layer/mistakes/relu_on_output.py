# expect: activation-on-output
import numpy as np


def dense(X, W, b):
    return X @ W + b


def relu(Z):
    return np.maximum(0, Z)


def mlp_forward(X, layers):
    out = X
    for W, b in layers:
        out = relu(dense(out, W, b))
    return out
