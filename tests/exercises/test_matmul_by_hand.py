"""matmul-by-hand: what the statement asks, no more (the stdlib sandbox, lists in and out)."""

TUPLES = """
def matmul(A, B):
    n = len(A[0])
    if n != len(B):
        raise ValueError(f"cannot multiply ({len(A)}, {n}) by ({len(B)}, {len(B[0])})")
    return tuple(tuple(sum(a * b for a, b in zip(row, col, strict=True)) for col in zip(*B, strict=True)) for row in A)
"""


def test_a_tuple_of_tuples_is_told_to_return_a_nested_list_not_an_array(grade):
    graded = grade("matmul-by-hand", TUPLES)

    first = graded.first_failure
    assert "nested list" in first.message, graded
    assert "array" not in first.message and "float64" not in first.message, graded
