def dot_shape(a_shape, b_shape):
    """The shape np.dot(a, b) returns for arrays of these shapes; ValueError when it would fail."""
    raise NotImplementedError


def matmul_shape(a_shape, b_shape):
    """The shape a @ b returns for arrays of these shapes; ValueError when it would fail."""
    raise NotImplementedError


def my_dot(a, b):
    """What np.dot(a, b) returns, without calling np.dot (or tensordot / einsum)."""
    raise NotImplementedError
