# Multiplies with operator.mul: the statement forbids @ and operator.matmul-style products only.
from operator import mul


def matmul(A, B):
    rows, inner = len(A), len(A[0])
    if inner != len(B):
        raise ValueError(f"shapes ({rows}, {inner}) and ({len(B)}, {len(B[0])}) do not line up")
    columns = list(zip(*B, strict=True))
    return [[sum(map(mul, row, column)) for column in columns] for row in A]
