# expect: no-error-on-mismatch
# Never checks the inner sizes: zip silently truncates the longer side.
def matmul(A, B):
    columns = list(zip(*B))
    return [[sum(a * b for a, b in zip(row, col)) for col in columns] for row in A]
