"""Cases for matmul-by-hand: nested lists in, a nested list out, in a sandbox without NumPy.

The inputs are plain lists and the sandbox has no NumPy to import, so "plain Python
loops" holds by construction: there is no library product to call.
"""

import re

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case
from grader.compare import Mismatch, Tolerance, compare
from grader.harness.contract import MismatchKind

RULES = Tolerance(rtol=1e-6, atol=1e-8, allow_lists=True)


def names_both_shapes(message, case):
    """Every natural spelling that names both shapes: (2, 3) and (4, 5), 2x3, 2×3, 2-by-3, [2, 3], ...

    The sizes of each shape must appear next to each other, in order, among the message's numbers."""
    numbers = [int(x) for x in re.findall(r"\d+", message)]
    pairs = set(zip(numbers, numbers[1:]))
    for rows, cols in (_shape(a) for a in case.args):
        if (rows, cols) not in pairs:
            return f"The ValueError message must name both shapes; it does not mention {rows}x{cols}."
    return None


def _shape(M):
    return len(M), len(M[0]) if len(M) else 0


def nested_list(got, expected, case):
    """A nested list of rows, as the statement asks (no NumPy here to make anything else)."""
    if isinstance(got, tuple) or (isinstance(got, list) and any(isinstance(row, tuple) for row in got)):
        return Mismatch(
            MismatchKind.TYPE,
            "Return the product as a nested list — a list of rows, each a list of numbers; got tuples.",
        )
    return compare(got, expected, RULES)


def zip_product(A, B):
    """What multiplying matching entries of two nested lists gives (zip stops at the shorter side)."""
    return [[float(x) * float(y) for x, y in zip(row_a, row_b)] for row_a, row_b in zip(A, B)]


def _aliased_rows(A, B):
    """[[0.0] * p] * m, each entry assigned: every row is one list, so every row ends as the last one."""
    if np.shape(A)[1] != np.shape(B)[0]:
        return None
    product = np.asarray(A, dtype=float) @ np.asarray(B, dtype=float)
    return np.repeat(product[-1:], len(product), axis=0)


def _aliased_rows_accumulated(A, B):
    """[[0.0] * p] * m, each entry accumulated with +=: every row is the sum of all the rows."""
    if np.shape(A)[1] != np.shape(B)[0]:
        return None
    product = np.asarray(A, dtype=float) @ np.asarray(B, dtype=float)
    return np.repeat(product.sum(axis=0, keepdims=True), len(product), axis=0)


ALIASED = (
    "Every row of your result is the same list: [[0.0] * p] * m makes m references to ONE row, so writing "
    "row i writes them all. Build a fresh list per row: [[0.0] * p for _ in range(m)]."
)


def _swapped(A, B):
    """B times A; where A times B is impossible the mistake says nothing (its code may check that first)."""
    if np.shape(A)[1] != np.shape(B)[0]:
        return None
    return np.asarray(B, dtype=float) @ np.asarray(A, dtype=float)


def build_cases(rng):
    def matrix(rows, cols):
        return rng.standard_normal((rows, cols)).round(6).tolist()

    def pair(m, n, p):
        return matrix(m, n), matrix(n, p)

    lesson_a = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    lesson_b = [[7.0, 8.0], [9.0, 10.0], [11.0, 12.0]]
    common = dict(allow_lists=True, check=nested_list)
    ones = [[1.0] * 3 for _ in range(2)], [[1.0] * 5 for _ in range(4)]
    return [
        Case(
            "lesson example (2x3)(3x2)",
            "matmul",
            (lesson_a, lesson_b),
            **common,
            explain="The worked example: the answer is [[58, 64], [139, 154]].",
        ),
        Case(
            "square 3x3",
            "matmul",
            pair(3, 3, 3),
            **common,
            explain="Square matrices: shapes cannot tell A @ B from A * B or B @ A here.",
        ),
        Case("row times column (1x4)(4x1)", "matmul", pair(1, 4, 1), **common),
        Case("column times row (4x1)(1x3)", "matmul", pair(4, 1, 3), **common),
        Case("non-square (2x5)(5x3)", "matmul", pair(2, 5, 3), **common),
        Case(
            "mismatched inner sizes",
            "matmul",
            ones,
            **common,
            expect_error="ValueError",
            error_message_check=names_both_shapes,
            explain="(2, 3) and (4, 5) cannot be multiplied: raise ValueError naming both.",
        ),
        Case("hidden: square 6x6", "matmul", pair(6, 6, 6), visible=False, **common),
        Case("hidden: tall times wide", "matmul", pair(7, 2, 5), visible=False, **common),
        Case("hidden: wide times tall", "matmul", pair(3, 8, 2), visible=False, **common),
        Case(
            "hidden: whole numbers",
            "matmul",
            ([[1, 2], [3, 4], [5, 6]], [[1, 0, 2], [0, 1, 3]]),
            visible=False,
            **common,
        ),
        Case(
            "hidden: mismatch, square vs wide",
            "matmul",
            ([[1.0] * 3 for _ in range(3)], [[1.0] * 3 for _ in range(2)]),
            visible=False,
            expect_error="ValueError",
            error_message_check=names_both_shapes,
            **common,
        ),
    ]


DIAGNOSES = [
    # Lists do not broadcast: a learner's entry-by-entry product is the zip of rows and entries.
    dx.alternative(
        "elementwise-product",
        "This multiplies matching entries, not rows by columns: each entry of the product is "
        "the dot product of a row of A with a column of B.",
        zip_product,
    ),
    dx.alternative(
        "swapped-operands",
        "This is B @ A: the operands are swapped. Matrix multiplication is not commutative.",
        _swapped,
    ),
    dx.transposed_result(),
    dx.alternative("aliased-rows", ALIASED, _aliased_rows),
    dx.alternative("aliased-rows", ALIASED, _aliased_rows_accumulated),
    dx.no_error_raised("ValueError"),
    dx.shape_transposed(),
]
