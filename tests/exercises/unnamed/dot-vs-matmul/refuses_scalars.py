# named: nothing
# Right everywhere except that it refuses 0-d operands, as @ does (np.dot accepts them).
import numpy as np


def dot_shape(a_shape, b_shape):
    a, b = tuple(a_shape), tuple(b_shape)
    if not a or not b:
        raise ValueError("scalars are not allowed")
    return np.dot(np.zeros(a), np.zeros(b)).shape


def matmul_shape(a_shape, b_shape):
    return np.matmul(np.zeros(a_shape), np.zeros(b_shape)).shape


def my_dot(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError("scalars are not allowed")
    k = a.shape[-1]
    if (b.shape[0] if b.ndim == 1 else b.shape[-2]) != k:
        raise ValueError("summed sizes differ")
    right = b.reshape(k, 1) if b.ndim == 1 else np.moveaxis(b, -2, 0).reshape(k, -1)
    shape = a.shape[:-1] + (b.shape[:-2] + b.shape[-1:] if b.ndim > 1 else ())
    out = (a.reshape(-1, k) @ right).reshape(shape)
    return float(out) if out.ndim == 0 else out
