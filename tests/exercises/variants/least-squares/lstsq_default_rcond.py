# lstsq without rcond: NumPy 2's default cut-off (machine precision times the larger size).
import numpy as np


def fit(X, y):
    return np.linalg.lstsq(X, y)[0]
