# expect: matmul-as-dot
# also: no-error-on-mismatch
# Believes @ combines every batch with every batch, as np.dot does.
import numpy as np


def _broadcast(left, right):
    out = []
    for i in range(1, max(len(left), len(right)) + 1):
        x = left[-i] if i <= len(left) else 1
        y = right[-i] if i <= len(right) else 1
        if x != y and 1 not in (x, y):
            raise ValueError(f"batch axes {left} and {right} do not broadcast")
        out.append(y if x == 1 else x)
    return tuple(reversed(out))


def dot_shape(a_shape, b_shape):
    a, b = tuple(a_shape), tuple(b_shape)
    if not a:
        return b
    if not b:
        return a
    inner = b[-1] if len(b) == 1 else b[-2]
    if a[-1] != inner:
        raise ValueError(f"shapes {a} and {b} not aligned: {a[-1]} (last axis of a) != {inner}")
    if len(b) == 1:
        return a[:-1]
    # every leading index of a meets every leading index of b: no pairing, no broadcasting
    return a[:-1] + b[:-2] + b[-1:]


def matmul_shape(a_shape, b_shape):
    if not a_shape or not b_shape:
        raise ValueError("matmul does not take scalars")
    return dot_shape(a_shape, b_shape)


def my_dot(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    shape = dot_shape(a.shape, b.shape)
    k = a.shape[-1]
    left = a.reshape(-1, k)
    # the contracted axis of b is its second-to-last (its only one when 1-D): bring it to the front
    right = b.reshape(k, 1) if b.ndim == 1 else np.moveaxis(b, -2, 0).reshape(k, -1)
    out = (left @ right).reshape(shape)
    return float(out) if out.ndim == 0 else out
