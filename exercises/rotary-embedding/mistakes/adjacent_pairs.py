# expect: adjacent-pairs
# The interleaved convention of the original paper: features (0, 1), (2, 3), ... form the pairs.
import numpy as np


def rope(x, positions, base=10000.0):
    x = np.asarray(x, dtype=float)
    d = x.shape[-1]
    theta = np.outer(positions, base ** (-np.arange(0, d, 2) / d))
    even, odd = x[..., 0::2], x[..., 1::2]
    out = np.empty_like(x)
    out[..., 0::2] = even * np.cos(theta) - odd * np.sin(theta)
    out[..., 1::2] = even * np.sin(theta) + odd * np.cos(theta)
    return out
