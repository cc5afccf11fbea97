"""Cases for shape-rule. Every expected shape is what np.matmul itself does (see tests)."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case


def must_be_tuple(got, expected, case):
    if not isinstance(got, tuple):
        return f"Return a tuple (like array.shape), not a {type(got).__name__}."
    if tuple(got) != tuple(expected):
        # A hidden case shows no expected value.
        return f"Expected {tuple(expected)}, got {tuple(got)}." if case.visible else "Not the shape np.matmul returns."
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


def _promoted(a, b):
    """Both shapes after np.matmul's 1-D promotion (a row on the left, a column on the right)."""
    a, b = tuple(a), tuple(b)
    return ((1,) + a if len(a) == 1 else a), (b + (1,) if len(b) == 1 else b)


def _inner_differ(a, b) -> bool:
    a, b = _promoted(a, b)
    return a[-1] != b[-2]


def _batch_broadcasts(a, b) -> bool:
    a, b = _promoted(a, b)
    left, right = a[:-2], b[:-2]
    for i in range(1, min(len(left), len(right)) + 1):
        if left[-i] != right[-i] and 1 not in (left[-i], right[-i]):
            return False
    return True


def _returned_instead(reason):
    """The case expects ValueError for ``reason(a, b)`` and the learner returned a value."""

    def test(c, g, e, m):
        a, b = c.args
        return m is not None and m.kind == "no-error" and reason(tuple(a), tuple(b))

    return test


def _inner_dims(a, b):
    a, b = tuple(a), tuple(b)
    if len(a) == 0 or len(b) == 0 or _inner_differ(a, b):
        raise ValueError("this mistake still refuses what np.matmul refuses")
    if not _batch_broadcasts(a, b):
        return None  # whether it checks the batch axes too is another matter
    return (a[-1], b[-2] if len(b) > 1 else b[-1])


def _no_batch_broadcast(a, b):
    a, b = tuple(a), tuple(b)
    if len(a) == 0 or len(b) == 0 or _inner_differ(a, b):
        raise ValueError("this mistake still refuses what np.matmul refuses (it only forgets to broadcast)")
    if len(a) < 2 or len(b) < 2 or not _batch_broadcasts(a, b):
        return None  # vectors, and batch axes that cannot broadcast: another matter
    return a[:-2] + (a[-2], b[-1])


def _axes_kept(a, b):
    """np.matmul's shape with the 1-D operands promoted and the added axes left in."""
    a, b = _promoted(a, b)
    if len(a) < 2 or len(b) < 2:
        raise ValueError("a scalar operand")
    if a[-1] != b[-2]:
        raise ValueError("inner sizes differ")  # as np.matmul raises
    # np.matmul's own rule, by shapes alone: multiplying arrays of these shapes took 14 ms a call
    return np.broadcast_shapes(a[:-2], b[:-2]) + (a[-2], b[-1])


def _as_list(c, g, e, m):
    return isinstance(g, list) and isinstance(e, tuple) and tuple(g) == e


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
    dx.alternative(
        "vector-axis-kept",
        "A 1-D operand gets a temporary axis (row on the left, column on the right) that must be removed again.",
        _axes_kept,
    ),
    dx.when(
        "shape-as-list",
        "Right sizes, but a shape is a tuple (like array.shape), not a list: return tuple(...).",
        _as_list,
        specificity=dx.VALUE,
    ),
    dx.when(
        "missed-scalar-operand",
        "np.matmul refuses a 0-d operand (a scalar, shape ()): raise ValueError when either shape is empty.",
        _returned_instead(lambda a, b: len(a) == 0 or len(b) == 0),
    ),
    dx.when(
        "missed-inner-mismatch",
        "The inner sizes differ — a's last axis against b's second-to-last (for two vectors, their lengths) — "
        "so np.matmul raises ValueError: check them before anything else.",
        _returned_instead(lambda a, b: len(a) > 0 and len(b) > 0 and _inner_differ(a, b)),
    ),
    dx.when(
        "missed-batch-mismatch",
        "Batch axes that are neither equal nor 1 cannot broadcast: np.matmul raises ValueError.",
        _returned_instead(
            lambda a, b: len(a) > 0 and len(b) > 0 and not _inner_differ(a, b) and not _batch_broadcasts(a, b)
        ),
    ),
]
