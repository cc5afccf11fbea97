# Each pair (x_i, x_{i+d/2}) as one complex number, multiplied by e^{i theta}.
import numpy as np


def rope(x, positions, base=10000.0):
    x = np.asarray(x)
    h = x.shape[-1] // 2
    theta = np.asarray(positions)[:, None] * np.exp(-np.log(base) * 2 * np.arange(h) / x.shape[-1])
    z = (x[..., :h] + 1j * x[..., h:]) * np.exp(1j * theta)
    return np.concatenate([z.real, z.imag], axis=-1)
