# Raises its own ValueError subclass: it is a ValueError, as the statement asks.
class ShapeError(ValueError):
    pass


def matmul(A, B):
    m, n, n_b, p = len(A), len(A[0]), len(B), len(B[0])
    if n != n_b:
        raise ShapeError(f"cannot multiply ({m}, {n}) by ({n_b}, {p})")
    return [[sum(A[i][k] * B[k][j] for k in range(n)) for j in range(p)] for i in range(m)]
