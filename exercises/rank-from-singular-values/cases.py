"""Cases for rank-from-singular-values: the lesson's 4x3 matrix (rank 2) at several scales."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case

LESSON = np.arange(1.0, 13.0).reshape(4, 3)
EPS = np.finfo(float).eps
# Thresholds a learner is likely to hard-code instead of a relative tolerance.
ABSOLUTE_GUESSES = (1e-5, 1e-6, 1e-8, 1e-9, 1e-10, 1e-12)


def _singular_values(A):
    return np.linalg.svd(np.asarray(A, dtype=float), compute_uv=False)


def _low_rank(rng, m, n, r, scale=1.0):
    return scale * (rng.standard_normal((m, r)) @ rng.standard_normal((r, n)))


def build_cases(rng):
    rank = "numerical_rank"
    # 50x50: 5e-15 is above eps but below 50 * eps; the 1e-17 values are round-off-sized dust
    tiny_direction = np.diag([1.0, 0.5, 5e-15] + [1e-17] * 47)
    graded = rng.standard_normal((6, 6))
    q1, _ = np.linalg.qr(rng.standard_normal((6, 6)))
    q2, _ = np.linalg.qr(rng.standard_normal((6, 6)))
    steps = q1 @ np.diag([1.0, 1e-3, 1e-9, 1e-9, 0.0, 0.0]) @ q2.T
    return [
        Case("lesson 4x3", rank, (LESSON,), explain="Singular values 25.46, 1.29 and about 1.8e-15: rank 2."),
        Case("identity 3x3", rank, (np.eye(3),), explain="Three singular values equal to 1."),
        Case("zero matrix", rank, (np.zeros((2, 3)),), explain="No direction survives: rank 0."),
        Case(
            "lesson 4x3 scaled by 1e9",
            rank,
            (LESSON * 1e9,),
            explain="Round-off grows with the matrix: the smallest singular value is about 2e-6, still rank 2.",
        ),
        Case(
            "full rank, scaled by 1e-12",
            rank,
            (1e-12 * np.array([[2.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 4.0]]),),
            explain="Tiny numbers, but three genuine directions: rank 3.",
        ),
        Case(
            "explicit rtol = 1e-6",
            rank,
            (steps,),
            {"rtol": 1e-6},
            explain="Singular values 1, 1e-3, 1e-9, 1e-9, 0, 0: above 1e-6 * 1 are two.",
        ),
        Case(
            "50x50 with a value between eps and 50 eps",
            rank,
            (tiny_direction,),
            explain="5e-15 is above eps * sigma_max but below 50 * eps * sigma_max; 1e-17 is dust: rank 2.",
        ),
        Case(
            "explicit rtol = 1e-2, sigma_max = 1000",
            rank,
            (np.diag([1.0, 1e3, 5e-12, 1e-8, 1e-20]),),
            {"rtol": 1e-2},
            explain="rtol is relative: the threshold is 1000 * 1e-2 = 10, so only 1000 counts — rank 1.",
        ),
        Case(
            "hidden: explicit rtol = 1e-3, sigma_max = 1e-3",
            rank,
            (np.diag([1e-5, 1e-3, 1e-9]),),
            {"rtol": 1e-3},
            visible=False,
        ),
        Case("hidden: rank 3 product, 8x6", rank, (_low_rank(rng, 8, 6, 3),), visible=False),
        Case("hidden: rank 2 product, wide 4x9, scaled 1e12", rank, (_low_rank(rng, 4, 9, 2, 1e12),), visible=False),
        Case("hidden: rank 4 product, scaled 1e-15", rank, (_low_rank(rng, 7, 5, 4, 1e-15),), visible=False),
        Case("hidden: full rank 6x6", rank, (graded,), visible=False),
        Case("hidden: default rtol on the steps", rank, (steps,), visible=False),
        Case("hidden: rtol = 1e-2 on the steps", rank, (steps,), {"rtol": 1e-2}, visible=False),
        Case("hidden: rtol = 0", rank, (np.diag([3.0, 1e-300, 0.0]),), {"rtol": 0.0}, visible=False),
        Case("hidden: one row", rank, (rng.standard_normal((1, 5)),), visible=False),
        Case("hidden: lesson scaled by 1e-9", rank, (LESSON * 1e-9,), visible=False),
    ]


def _count_nonzero(A, rtol=None):
    return int(np.count_nonzero(_singular_values(A)))


def _absolute(tol):
    return lambda A, rtol=None: int(np.count_nonzero(_singular_values(A) > tol))


def _default_despite_rtol(A, rtol=None):
    if rtol is None:
        return None
    s = _singular_values(A)
    return int(np.count_nonzero(s > s[0] * max(np.shape(A)) * EPS))


def _rtol_as_absolute(A, rtol=None):
    if rtol is None:
        return None
    return int(np.count_nonzero(_singular_values(A) > rtol))


def _at_least(A, rtol=None):
    s = _singular_values(A)
    rtol = max(np.shape(A)) * EPS if rtol is None else rtol
    return int(np.count_nonzero(s >= s[0] * rtol))


def _without_size_factor(A, rtol=None):
    if rtol is not None:
        return None
    s = _singular_values(A)
    return int(np.count_nonzero(s > s[0] * EPS))


DIAGNOSES = [
    dx.alternative(
        "rtol-as-absolute",
        "rtol is relative to the largest singular value: the threshold is sigma_max * rtol, not rtol itself "
        "(the two agree only when sigma_max is 1).",
        _rtol_as_absolute,
    ),
    dx.alternative(
        "greater-or-equal",
        "Count the singular values strictly greater than the threshold (>, not >=): with rtol = 0, or a zero "
        "matrix, the threshold is 0 and zeros must not count.",
        _at_least,
    ),
    dx.alternative(
        "counted-exact-nonzeros",
        "You counted the singular values that are not exactly zero. Round-off leaves tiny values like 1e-15 "
        "where the exact answer is 0: count only those above sigma_max * rtol.",
        _count_nonzero,
    ),
    *(
        dx.alternative(
            "absolute-tolerance",
            "A fixed threshold does not scale with the matrix: multiply A by 1e9 and its round-off grows "
            "past it, multiply by 1e-12 and genuine directions fall below it. Use sigma_max * rtol.",
            _absolute(tol),
            test=lambda c, g, e, m: c.kwargs.get("rtol") is None,  # with rtol given, see ignored-rtol
        )
        for tol in ABSOLUTE_GUESSES
    ),
    dx.alternative(
        "ignored-rtol",
        "When the caller passes rtol, the threshold is sigma_max * rtol; you used the default instead.",
        _default_despite_rtol,
    ),
    dx.alternative(
        "missing-size-factor",
        "The default relative tolerance is max(m, n) * eps, not eps alone: round-off grows with the size of A.",
        _without_size_factor,
    ),
]
