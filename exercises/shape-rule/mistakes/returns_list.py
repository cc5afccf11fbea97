# expect: shape-as-list
# Right numbers, wrong type: a list is not a shape.
def matmul_shape(a_shape, b_shape):
    a, b = list(a_shape), list(b_shape)
    if not a or not b:
        raise ValueError("scalars")
    if len(a) == 1 and len(b) == 1:
        if a[0] != b[0]:
            raise ValueError("mismatch")
        return []
    va, vb = len(a) == 1, len(b) == 1
    a = [1] + a if va else a
    b = b + [1] if vb else b
    if a[-1] != b[-2]:
        raise ValueError("mismatch")
    out = []
    for i in range(1, max(len(a), len(b)) - 1):
        x = a[-2 - i] if i + 2 <= len(a) else 1
        y = b[-2 - i] if i + 2 <= len(b) else 1
        if x != y and 1 not in (x, y):
            raise ValueError("batch")
        out.insert(0, y if x == 1 else x)
    out += [a[-2], b[-1]]
    if va:
        out.pop(-2)
    if vb:
        out.pop()
    return out
