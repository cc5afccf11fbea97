# named: nothing
# Walks k over the columns of B instead of the shared size: wrong, but no listed mistake.
def matmul(A, B):
    m, n, p = len(A), len(A[0]), len(B[0])
    if n != len(B):
        raise ValueError(f"cannot multiply ({m}, {n}) by ({len(B)}, {p})")
    return [[sum(A[i][k] * B[k][j] for k in range(min(p, n))) for j in range(p)] for i in range(m)]
