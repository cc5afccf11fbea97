# Names both shapes in words: "a 2-by-3 matrix by a 4-by-5 matrix".
def matmul(A, B):
    m, n, n_b, p = len(A), len(A[0]), len(B), len(B[0])
    if n != n_b:
        raise ValueError(f"cannot multiply a {m}-by-{n} matrix by a {n_b}-by-{p} matrix")
    C = []
    for i in range(m):
        C.append([sum(A[i][k] * B[k][j] for k in range(n)) for j in range(p)])
    return C
