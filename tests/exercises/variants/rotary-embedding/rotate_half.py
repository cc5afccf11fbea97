# The Hugging Face formulation: x * cos + rotate_half(x) * sin, with the angle table repeated twice.
import numpy as np


def rotate_half(x):
    h = x.shape[-1] // 2
    return np.concatenate((-x[..., h:], x[..., :h]), axis=-1)


def rope(x, positions, base=10000.0):
    d = x.shape[-1]
    inv_freq = 1.0 / (base ** (np.arange(0, d, 2, dtype=np.int64) / d))
    emb = np.concatenate([np.outer(positions, inv_freq)] * 2, axis=-1)
    return x * np.cos(emb) + rotate_half(x) * np.sin(emb)
