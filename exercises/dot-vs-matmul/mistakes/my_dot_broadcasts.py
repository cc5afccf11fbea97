# expect: broadcast-batch-axes
# also: dot-as-batched-matmul
# Multiplies with broadcasting over the leading axes, as @ does.
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
    if a.shape[-1] != (b.shape[-2] if b.ndim > 1 else b.shape[-1]):
        raise ValueError("shapes not aligned")
    if a.ndim == b.ndim == 1:
        return float(np.sum(a * b))
    if b.ndim == 1:
        return np.sum(a * b, axis=-1)
    if a.ndim == 1:
        return np.sum(a[:, None] * b, axis=-2)
    # leading axes line up and broadcast, as they would under @
    return np.sum(a[..., :, :, None] * b[..., None, :, :], axis=-2)
