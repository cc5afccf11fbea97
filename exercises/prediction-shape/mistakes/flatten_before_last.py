# expect: flatten-before-last-layer
# The weights of the last layer made 1-D, so that A @ w is 1-D already: fine for one output, an error for more.
import numpy as np


def predict(X, layers):
    A = X
    for W, b in layers[:-1]:
        A = np.maximum(0, A @ W + b)
    W, b = layers[-1]
    return A @ W.ravel() + b
