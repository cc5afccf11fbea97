def matmul(A, B):
    """Return the matrix product of A (m, n) and B (n, p) as an (m, p) result.

    Use plain loops. Raise ValueError naming both shapes when n differs.
    """
    raise NotImplementedError("write matmul")
