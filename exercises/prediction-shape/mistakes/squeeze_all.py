# expect: squeeze-all-axes
# The lesson's own last line: squeeze() also drops the sample axis when there is one sample.
import numpy as np


def predict(X, layers):
    A = X
    for W, b in layers[:-1]:
        A = np.maximum(0, A @ W + b)
    W, b = layers[-1]
    return (A @ W + b).squeeze()
