# reshape to the number of samples, which is right exactly when there is one output unit.
import numpy as np


def predict(X, layers):
    A = np.array(X, dtype=np.float64)
    *hidden, last = layers
    for W, b in hidden:
        A = np.clip(A @ W + b, 0, None)
    Z = A @ last[0] + last[1]
    if Z.shape[1] == 1:
        return Z.reshape(X.shape[0])
    return Z
