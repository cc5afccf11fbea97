# expect: angles-not-scaled-by-position
# The frequencies are right, but the position never multiplies them.
import numpy as np


def rope(x, positions, base=10000.0):
    x = np.asarray(x, dtype=float)
    d = x.shape[-1]
    h = d // 2
    theta = base ** (-2 * np.arange(h) / d)
    c, s = np.cos(theta), np.sin(theta)
    return np.concatenate([x[..., :h] * c - x[..., h:] * s, x[..., :h] * s + x[..., h:] * c], axis=-1)
