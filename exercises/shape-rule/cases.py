"""Cases for shape-rule. Every expected shape is what np.matmul itself does (see tests)."""

from grader import diagnosis as dx
from grader.cases import Case


def must_be_tuple(got, expected, case):
    if not isinstance(got, tuple):
        return f"Return a tuple (like array.shape), not a {type(got).__name__}."
    if tuple(got) != tuple(expected):
        return f"Expected {tuple(expected)}, got {tuple(got)}."
    return None


PAIRS = [
    ("2-D", (2, 3), (3, 4), True),
    ("lesson: attention scores", (32, 128, 64), (32, 64, 128), True),
    ("batch broadcast with 1s", (5, 1, 2, 3), (4, 3, 7), True),
    ("vector times matrix", (3,), (3, 4), True),
    ("matrix times vector", (2, 3), (3,), True),
    ("vector dot vector", (3,), (3,), True),
    ("hidden: batch only on the left", (6, 2, 3), (3, 5), False),
    ("hidden: batch only on the right", (2, 3), (7, 3, 5), False),
    ("hidden: batched vector", (3,), (8, 3, 2), False),
    ("hidden: zero-size axis", (0, 4, 3), (3, 2), False),
    ("hidden: outer 1x1", (1, 5), (5, 1), False),
    ("hidden: deep batch", (2, 1, 4, 1, 3, 6), (5, 1, 1, 6, 2), False),
]
ERRORS = [
    ("inner mismatch", (2, 3), (4, 5), True),
    ("batch mismatch", (2, 2, 3), (3, 3, 4), True),
    ("hidden: scalar operand", (), (3,), False),
    ("hidden: vector length mismatch", (3,), (4,), False),
    ("hidden: batch 4 vs 3", (4, 2, 3), (3, 3, 2), False),
]


def build_cases(rng):
    cases = [Case(name, "matmul_shape", (a, b), visible=visible, check=must_be_tuple) for name, a, b, visible in PAIRS]
    cases += [
        Case(name, "matmul_shape", (a, b), visible=visible, expect_error="ValueError") for name, a, b, visible in ERRORS
    ]
    return cases


def _inner_dims(a, b):
    return (tuple(a)[-1], tuple(b)[-2] if len(b) > 1 else tuple(b)[-1])


def _no_batch_broadcast(a, b):
    a, b = tuple(a), tuple(b)
    return a[:-2] + (a[-2], b[-1]) if len(a) >= 2 and len(b) >= 2 else None


DIAGNOSES = [
    dx.alternative(
        "inner-instead-of-outer",
        "You returned the inner sizes (the ones that must match); the result takes the outer sizes.",
        _inner_dims,
    ),
    dx.alternative(
        "no-batch-broadcasting",
        "Batch axes broadcast: compare them from the right, a 1 stretches to match, and missing axes count as 1.",
        _no_batch_broadcast,
    ),
    dx.when(
        "vector-axis-kept",
        "A 1-D operand gets a temporary axis (row on the left, column on the right) that must be removed again.",
        lambda c, g, e, m: isinstance(g, tuple) and 1 in (len(c.args[0]), len(c.args[1])) and len(g) == len(e) + 1,
    ),
    dx.when(
        "missed-batch-mismatch",
        "Batch axes that are neither equal nor 1 cannot broadcast: np.matmul raises ValueError.",
        lambda c, g, e, m: c.expect_error is not None and m is not None and m.kind == "no-error",
    ),
]
