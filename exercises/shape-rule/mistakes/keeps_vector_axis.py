# expect: vector-axis-kept
# Promotes 1-D operands to 2-D but forgets to remove the added axis.
def matmul_shape(a_shape, b_shape):
    a, b = tuple(a_shape), tuple(b_shape)
    if not a or not b:
        raise ValueError("scalars")
    if len(a) == 1:
        a = (1,) + a
    if len(b) == 1:
        b = b + (1,)
    if a[-1] != b[-2]:
        raise ValueError("mismatch")
    batch = []
    for i in range(1, max(len(a), len(b)) - 1):
        x = a[-2 - i] if i + 2 <= len(a) else 1
        y = b[-2 - i] if i + 2 <= len(b) else 1
        if x != y and 1 not in (x, y):
            raise ValueError("batch")
        batch.append(max(x, y) if 0 not in (x, y) else 0)
    return tuple(reversed(batch)) + (a[-2], b[-1])
