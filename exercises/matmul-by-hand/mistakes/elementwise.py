# expect: elementwise-product
# Multiplies matching entries instead of taking row-column dot products.
def matmul(A, B):
    return [[a * b for a, b in zip(row_a, row_b)] for row_a, row_b in zip(A, B)]
