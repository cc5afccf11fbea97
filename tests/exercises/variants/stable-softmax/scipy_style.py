# The log-sum-exp form of the same normalisation.
import numpy as np


def softmax(x, axis=-1):
    m = np.max(x, axis=axis, keepdims=True)
    z = x - m
    return np.exp(z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True)))
