# expect: no-batch-broadcasting
# also: missed-batch-mismatch
# Keeps the left operand's batch axes and never broadcasts them.
def matmul_shape(a_shape, b_shape):
    a, b = tuple(a_shape), tuple(b_shape)
    if not a or not b:
        raise ValueError("scalars")
    if len(a) == 1 or len(b) == 1:
        if a[-1] != (b[-2] if len(b) > 1 else b[0]):
            raise ValueError("mismatch")
        if len(a) == 1 and len(b) == 1:
            return ()
        return b[:-2] + b[-1:] if len(a) == 1 else a[:-1]
    if a[-1] != b[-2]:
        raise ValueError("mismatch")
    return a[:-2] + (a[-2], b[-1])
