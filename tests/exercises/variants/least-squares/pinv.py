import numpy as np


def fit(X, y):
    return np.linalg.pinv(X) @ y
