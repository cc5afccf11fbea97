# expect: dot-as-batched-matmul
# also: broadcast-batch-axes
# Believes np.dot does what @ does on stacks of matrices.
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
    if not a_shape:
        return tuple(b_shape)
    if not b_shape:
        return tuple(a_shape)
    return matmul_shape(a_shape, b_shape)


def matmul_shape(a_shape, b_shape):
    a, b = tuple(a_shape), tuple(b_shape)
    if not a or not b:
        raise ValueError("matmul does not take scalars")
    a_vector, b_vector = len(a) == 1, len(b) == 1
    a = (1,) + a if a_vector else a
    b = b + (1,) if b_vector else b
    if a[-1] != b[-2]:
        raise ValueError(f"inner sizes differ: {a[-1]} vs {b[-2]}")
    shape = _broadcast(a[:-2], b[:-2]) + (a[-2], b[-1])
    if a_vector:
        shape = shape[:-2] + shape[-1:]
    if b_vector:
        shape = shape[:-1]
    return shape


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
