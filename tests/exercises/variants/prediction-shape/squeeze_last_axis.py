# np.squeeze with the axis named, after a loop that treats the last layer apart.
import numpy as np


def predict(X, layers):
    A = X
    for i, (W, b) in enumerate(layers):
        A = A @ W + b
        if i < len(layers) - 1:
            A = np.maximum(A, 0)
    return np.squeeze(A, axis=-1) if A.shape[-1] == 1 else A
