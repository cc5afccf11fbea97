# expect: transposed-result
# also: transposed-shape
# Writes entry (i, j) into position (j, i): the result comes out transposed.
def matmul(A, B):
    m, n, p = len(A), len(A[0]), len(B[0])
    if n != len(B):
        raise ValueError(f"cannot multiply ({m}, {n}) by ({len(B)}, {p})")
    out = [[0.0] * m for _ in range(p)]
    for i in range(m):
        for j in range(p):
            out[j][i] = sum(A[i][k] * B[k][j] for k in range(n))
    return out
