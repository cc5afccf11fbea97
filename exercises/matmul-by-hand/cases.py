"""Cases for matmul-by-hand: the lesson's example, thin shapes, and a mismatch."""

import re

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case


def names_both_shapes(message, case):
    shapes = [np.shape(a) for a in case.args]
    for rows, cols in shapes:
        if not re.search(rf"\b{rows}\s*(,|x|×|by)\s*{cols}\b", message):
            return f"The ValueError message must name both shapes; it does not mention {rows}x{cols}."
    return None


def build_cases(rng):
    def pair(m, n, p):
        return rng.standard_normal((m, n)), rng.standard_normal((n, p))

    lesson_a = np.array([[1, 2, 3], [4, 5, 6]], dtype=float)
    lesson_b = np.array([[7, 8], [9, 10], [11, 12]], dtype=float)
    common = dict(allow_lists=True)
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
            (np.ones((2, 3)), np.ones((4, 5))),
            **common,
            expect_error="ValueError",
            error_message_check=names_both_shapes,
            explain="(2, 3) and (4, 5) cannot be multiplied: raise ValueError naming both.",
        ),
        Case("hidden: square 6x6", "matmul", pair(6, 6, 6), visible=False, **common),
        Case("hidden: tall times wide", "matmul", pair(7, 2, 5), visible=False, **common),
        Case("hidden: wide times tall", "matmul", pair(3, 8, 2), visible=False, **common),
        Case(
            "hidden: nested lists",
            "matmul",
            ([[1, 2], [3, 4], [5, 6]], [[1, 0, 2], [0, 1, 3]]),
            visible=False,
            **common,
        ),
        Case(
            "hidden: mismatch, square vs wide",
            "matmul",
            (np.ones((3, 3)), np.ones((2, 3))),
            visible=False,
            expect_error="ValueError",
            error_message_check=names_both_shapes,
            **common,
        ),
    ]


DIAGNOSES = [
    dx.elementwise_product(),
    dx.swapped_operands(),
    dx.transposed_result(),
    dx.no_error_raised("ValueError"),
    dx.shape_transposed(),
]
