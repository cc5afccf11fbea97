# expect: verdict=wrong_answer
# The minus sign of the rotation is lost: (a cos + b sin, a sin + b cos) is no rotation, and lengths change.
import numpy as np


def rope(x, positions, base=10000.0):
    x = np.asarray(x, dtype=float)
    d = x.shape[-1]
    h = d // 2
    theta = np.asarray(positions)[:, None] * base ** (-2 * np.arange(h) / d)
    c, s = np.cos(theta), np.sin(theta)
    return np.concatenate([x[..., :h] * c + x[..., h:] * s, x[..., :h] * s + x[..., h:] * c], axis=-1)
