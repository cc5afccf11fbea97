def _broadcast(left, right):
    out = []
    for i in range(1, max(len(left), len(right)) + 1):
        x = left[-i] if i <= len(left) else 1
        y = right[-i] if i <= len(right) else 1
        if x != y and 1 not in (x, y):
            raise ValueError(f"batch axes {tuple(left)} and {tuple(right)} do not broadcast")
        out.append(y if x == 1 else x)
    return tuple(reversed(out))


def matmul_shape(a_shape, b_shape):
    a, b = tuple(a_shape), tuple(b_shape)
    if len(a) == 0 or len(b) == 0:
        raise ValueError("matmul does not accept scalars")
    a_vector, b_vector = len(a) == 1, len(b) == 1
    if a_vector:
        a = (1,) + a
    if b_vector:
        b = b + (1,)
    if a[-1] != b[-2]:
        raise ValueError(f"inner sizes differ: {a[-1]} vs {b[-2]}")
    shape = _broadcast(a[:-2], b[:-2]) + (a[-2], b[-1])
    if a_vector:
        shape = shape[:-2] + shape[-1:]
    if b_vector:
        shape = shape[:-1]
    return shape
