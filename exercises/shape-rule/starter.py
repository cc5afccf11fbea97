def matmul_shape(a_shape, b_shape):
    """Return the shape of np.matmul(a, b) for arrays of these shapes, or raise ValueError."""
    raise NotImplementedError("write matmul_shape")
