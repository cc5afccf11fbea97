# expect: swapped-operands
# Computes B times A: rows of B dotted with columns of A.
def matmul(A, B):
    n = len(A[0])
    if n != len(B):
        raise ValueError(f"cannot multiply ({len(A)}, {n}) by ({len(B)}, {len(B[0])})")
    p, m = len(B[0]), len(A)
    if p != m:
        raise ValueError(f"cannot multiply ({len(A)}, {n}) by ({len(B)}, {p})")
    return [[sum(B[i][k] * A[k][j] for k in range(p)) for j in range(n)] for i in range(len(B))]
