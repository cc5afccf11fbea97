# expect: returned-lstsq-tuple
import numpy as np


def fit(X, y):
    return np.linalg.lstsq(X, y, rcond=None)
