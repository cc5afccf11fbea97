# A block rotation matrix per position, applied by a loop over the rows: slow, but right.
import numpy as np


def rope(x, positions, base=10000.0):
    x = np.array(x, dtype=np.float64)
    d = x.shape[-1]
    h = d // 2
    out = np.empty_like(x)
    for t, m in enumerate(positions):
        R = np.zeros((d, d))
        for i in range(h):
            angle = m / base ** (2 * i / d)
            R[i, i], R[i, i + h] = np.cos(angle), -np.sin(angle)
            R[i + h, i], R[i + h, i + h] = np.sin(angle), np.cos(angle)
        out[..., t, :] = x[..., t, :] @ R.T
    return out
