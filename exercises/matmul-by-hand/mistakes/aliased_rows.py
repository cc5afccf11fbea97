# expect: aliased-rows
# hint: 3
# Builds the result as [[0.0] * p] * m: every row is the same list.
def matmul(A, B):
    m, n, p = len(A), len(A[0]), len(B[0])
    if n != len(B):
        raise ValueError(f"cannot multiply ({m}, {n}) by ({len(B)}, {p})")
    result = [[0.0] * p] * m
    for i in range(m):
        for j in range(p):
            result[i][j] = sum(A[i][k] * B[k][j] for k in range(n))
    return result
