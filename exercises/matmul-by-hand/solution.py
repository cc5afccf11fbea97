def _shape(M):
    rows = len(M)
    cols = len(M[0]) if rows else 0
    return rows, cols


def matmul(A, B):
    m, n = _shape(A)
    n_b, p = _shape(B)
    if n != n_b:
        raise ValueError(f"cannot multiply a matrix of shape ({m}, {n}) by one of shape ({n_b}, {p})")
    result = [[0.0] * p for _ in range(m)]
    for i in range(m):
        for j in range(p):
            total = 0.0
            for k in range(n):
                total += float(A[i][k]) * float(B[k][j])
            result[i][j] = total
    return result
