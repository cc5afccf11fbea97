# expect: inner-instead-of-outer
# also: missed-batch-mismatch
def matmul_shape(a_shape, b_shape):
    if len(a_shape) == 0 or len(b_shape) == 0 or a_shape[-1] != (b_shape[-2] if len(b_shape) > 1 else b_shape[-1]):
        raise ValueError("shapes do not match")
    return (a_shape[-1], b_shape[-2] if len(b_shape) > 1 else b_shape[-1])
