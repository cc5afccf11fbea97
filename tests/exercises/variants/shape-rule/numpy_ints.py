# Sizes computed with NumPy (np.int64 entries) and the shapes taken as lists.
import numpy as np


def matmul_shape(a_shape, b_shape):
    a, b = list(a_shape), list(b_shape)
    if len(a) == 0 or len(b) == 0:
        raise ValueError("matmul needs at least one axis on each side")
    va, vb = len(a) == 1, len(b) == 1
    a = [1] + a if va else a
    b = b + [1] if vb else b
    if a[-1] != b[-2]:
        raise ValueError(f"inner sizes {a[-1]} and {b[-2]} differ")
    width = max(len(a), len(b)) - 2
    left = np.array([1] * (width - (len(a) - 2)) + a[:-2], dtype=np.int64)
    right = np.array([1] * (width - (len(b) - 2)) + b[:-2], dtype=np.int64)
    if np.any((left != right) & (left != 1) & (right != 1)):
        raise ValueError("batch axes do not broadcast")
    batch = np.where(left == 1, right, left)
    shape = tuple(batch) + (np.int64(a[-2]), np.int64(b[-1]))
    if va:
        shape = shape[:-2] + shape[-1:]
    if vb:
        shape = shape[:-1]
    return shape
