"""Cases for dot-vs-matmul. Every expected shape is what NumPy itself does (see the catalogue tests)."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case


def must_be_tuple(got, expected, case):
    if not isinstance(got, tuple):
        return f"Return a tuple (like array.shape), not a {type(got).__name__}."
    if tuple(got) != tuple(expected):
        return f"Expected {tuple(expected)}, got {tuple(got)}."
    return None


DOT = [
    ("vector . vector", (3,), (3,), True),
    ("matrix . matrix", (2, 3), (3, 4), True),
    ("3-D . matrix", (2, 3, 4), (4, 5), True),
    ("3-D . 3-D, same batch", (2, 3, 4), (2, 4, 5), True),
    ("3-D . vector", (2, 3, 4), (4,), True),
    ("scalar . matrix", (), (2, 3), True),
    ("hidden: batches 5 and 7", (5, 2, 3), (7, 3, 4), False),
    ("hidden: batches 1 and 4", (1, 2, 3), (4, 3, 5), False),
    ("hidden: vector . 3-D", (3,), (2, 3, 4), False),
    ("hidden: matrix . scalar", (2, 3), (), False),
    ("hidden: vector . matrix", (4,), (4, 5), False),
    ("hidden: 4-D . 3-D", (2, 2, 3, 4), (3, 4, 2), False),
    ("hidden: matrix . 3-D", (2, 3), (2, 3, 4), False),
]
DOT_ERRORS = [
    ("summed sizes differ (4 vs 5)", (2, 3, 4), (2, 5, 6), True),
    ("hidden: vectors of different lengths", (3,), (4,), False),
    ("hidden: matrix . 3-D, 4 vs 5", (2, 4), (3, 5, 6), False),
]
MATMUL = [
    ("3-D @ 3-D, same batch", (2, 3, 4), (2, 4, 5), True),
    ("broadcast batch 1 and 4", (1, 2, 3), (4, 3, 5), True),
    ("hidden: vector @ 3-D", (3,), (2, 3, 4), False),
    ("hidden: 3-D @ matrix", (6, 2, 3), (3, 5), False),
]
MATMUL_ERRORS = [
    ("batches 5 and 7 do not broadcast", (5, 2, 3), (7, 3, 4), True),
    ("hidden: scalar operand", (), (3,), False),
]
MY_DOT = [
    ("vector . vector", (3,), (3,), True),
    ("matrix . matrix", (2, 3), (3, 4), True),
    ("3-D . matrix", (2, 3, 4), (4, 5), True),
    ("3-D . vector", (2, 3, 4), (4,), True),
    ("3-D . 3-D, batches 1 and 4", (1, 2, 3), (4, 3, 5), True),
    ("3-D . 3-D, same batch", (2, 3, 4), (2, 4, 5), True),
    ("hidden: vector . 3-D", (3,), (2, 3, 4), False),
    ("hidden: batches 5 and 7", (5, 2, 3), (7, 3, 4), False),
    ("hidden: 4-D . 3-D", (2, 2, 3, 4), (3, 4, 2), False),
    ("hidden: matrix . 3-D", (3, 2), (4, 2, 3), False),
    ("hidden: vector . matrix", (5,), (5, 2), False),
]


def build_cases(rng):
    cases = []
    for name, a, b, visible in DOT:
        cases.append(Case(f"dot_shape: {name}", "dot_shape", (a, b), visible=visible, check=must_be_tuple))
    for name, a, b, visible in DOT_ERRORS:
        cases.append(Case(f"dot_shape: {name}", "dot_shape", (a, b), visible=visible, expect_error="ValueError"))
    for name, a, b, visible in MATMUL:
        cases.append(Case(f"matmul_shape: {name}", "matmul_shape", (a, b), visible=visible, check=must_be_tuple))
    for name, a, b, visible in MATMUL_ERRORS:
        cases.append(Case(f"matmul_shape: {name}", "matmul_shape", (a, b), visible=visible, expect_error="ValueError"))
    for name, a, b, visible in MY_DOT:
        args = (rng.standard_normal(a), rng.standard_normal(b))
        cases.append(Case(f"my_dot: {name}", "my_dot", args, visible=visible))
    cases.append(
        Case(
            "my_dot: summed sizes differ",
            "my_dot",
            (rng.standard_normal((2, 3)), rng.standard_normal((4, 2))),
            expect_error="ValueError",
        )
    )
    return cases


# the mistakes, recomputed -------------------------------------------------------------


def _shape(x):
    return tuple(x) if isinstance(x, tuple | list) else np.shape(x)


def _batches(a, b):
    """The leading (batch) axes of two operands with at least 3 axes between them, else None."""
    a, b = _shape(a), _shape(b)
    if len(a) < 2 or len(b) < 2 or max(len(a), len(b)) < 3:
        return None
    return a[:-2], b[:-2]


def _same_batch(c, g, e, m):
    batches = _batches(*c.args)
    return batches is not None and batches[0] == batches[1]


def _other_batch(c, g, e, m):
    batches = _batches(*c.args)
    return batches is not None and batches[0] != batches[1]


def _matmul_rule(a_shape, b_shape):
    return np.matmul(np.zeros(a_shape), np.zeros(b_shape)).shape


def _dot_rule(a_shape, b_shape):
    return np.dot(np.zeros(a_shape), np.zeros(b_shape)).shape


def _dot_rule_for_matmul(a_shape, b_shape):
    """@ believed to be np.dot; on a 0-d operand the belief says nothing (@ refuses it, np.dot does not)."""
    if len(_shape(a_shape)) == 0 or len(_shape(b_shape)) == 0:
        return None
    return _dot_rule(a_shape, b_shape)


def _matmul(a, b):
    return np.matmul(a, b)


def _unmoved_b(a, b):
    """Flattening b to (k, -1) without first moving its summed axis (second-to-last) to the front."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    if b.ndim < 3:
        return None
    k = a.shape[-1]
    return (a.reshape(-1, k) @ b.reshape(k, -1)).reshape(a.shape[:-1] + b.shape[:-2] + b.shape[-1:])


AS_BATCHED = (
    "np.dot is not a batched matmul: it does not pair the leading axes of a and b, it combines every "
    "leading index of a with every leading index of b — shape a.shape[:-1] + b.shape[:-2] + b.shape[-1:]."
)
BROADCAST = (
    "np.dot never broadcasts leading axes against each other (that is what @ does): a's leading axes "
    "and b's leading axes both stay in the result, one after the other."
)

DIAGNOSES = [
    dx.alternative("dot-as-batched-matmul", AS_BATCHED, _matmul_rule, entry="dot_shape", test=_same_batch),
    dx.alternative("broadcast-batch-axes", BROADCAST, _matmul_rule, entry="dot_shape", test=_other_batch),
    dx.raised("broadcast-batch-axes", BROADCAST, "ValueError", entry="dot_shape", mistake=_matmul_rule),
    dx.alternative("dot-as-batched-matmul", AS_BATCHED, _matmul, entry="my_dot", test=_same_batch),
    dx.alternative("broadcast-batch-axes", BROADCAST, _matmul, entry="my_dot", test=_other_batch),
    dx.raised("broadcast-batch-axes", BROADCAST, "ValueError", entry="my_dot", mistake=_matmul),
    dx.alternative(
        "b-axis-not-moved",
        "np.dot sums over b's SECOND-TO-LAST axis. Reshaping b to (k, -1) as it is mixes that axis with the "
        "others: move it to the front first (np.moveaxis(b, -2, 0)), then flatten.",
        _unmoved_b,
        entry="my_dot",
    ),
    dx.alternative(
        "matmul-as-dot",
        "@ pairs the batch axes (broadcasting them) and does one matrix product per pair; it does not "
        "combine every batch of a with every batch of b as np.dot does.",
        _dot_rule_for_matmul,
        entry="matmul_shape",
    ),
    dx.no_error_raised(),
]
