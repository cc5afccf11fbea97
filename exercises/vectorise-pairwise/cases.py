"""Cases for vectorise-pairwise: correctness first, then two timed cases with fresh inputs per run."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case, Timing
from grader.compare import Mismatch, Tolerance, compare

REPETITIONS = 5


def timed(rng, n, m, d):
    sets = tuple((rng.standard_normal((n, d)), rng.standard_normal((m, d))) for _ in range(REPETITIONS + 1))
    return Timing(
        arg_sets=sets[1:], warmup_sets=sets[:1], flops=2.0 * n * m * d, bytes_moved=8.0 * (n * d + m * d + n * m)
    )


def close_and_nonnegative(got, expected, case):
    mismatch = compare(got, expected, Tolerance(rtol=1e-6, atol=1e-6))
    if mismatch is None and float(np.min(got)) < 0:
        return Mismatch(
            "negative", "Squared distances cannot be negative.", detail=f"smallest: {float(np.min(got)):.3g}"
        )
    return mismatch


# Fixed so the visible case is the same for everyone: coordinates near 1000 with three decimals,
# where the norm expansion loses about eight digits and leaves tiny negatives on the diagonal.
SELF_POINTS = np.round(np.random.default_rng(3).standard_normal((8, 16)), 3) + 1e3


def build_cases(rng):
    n = rng.standard_normal
    ok = {"check": close_and_nonnegative}
    return [
        Case(
            "worked example",
            "pairwise_sq_dists",
            (np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([[1.0, 0.0], [0.0, 2.0], [3.0, 4.0]])),
            **ok,
        ),
        Case("5 x 3 points in 4-D", "pairwise_sq_dists", (n((5, 4)), n((3, 4))), **ok),
        Case(
            "points against themselves, far from the origin",
            "pairwise_sq_dists",
            (SELF_POINTS,) * 2,
            **ok,
            explain="The diagonal is exactly 0 — and ‖x‖² + ‖x‖² − 2x·x rounds to tiny negatives there.",
        ),
        Case("hidden: single points", "pairwise_sq_dists", (n((1, 7)), n((1, 7))), visible=False, **ok),
        Case("hidden: Y is X", "pairwise_sq_dists", (n((6, 3)),) * 2, visible=False, **ok),
        Case(
            "hidden: as many points in Y as in X",
            "pairwise_sq_dists",
            (n((6, 3)), n((6, 3)) * 3 + 2),
            visible=False,
            **ok,
        ),
        Case(
            "hidden: Y is X, far from the origin",
            "pairwise_sq_dists",
            (n((40, 8)) * 0.01 + 1e3,) * 2,
            visible=False,
            **ok,
        ),
        Case("hidden: large coordinates", "pairwise_sq_dists", (n((4, 2)) * 1e3, n((5, 2)) * 1e3), visible=False, **ok),
        Case("timed: n=800, m=600, d=64", "pairwise_sq_dists", timing=timed(rng, 800, 600, 64), visible=False),
        Case("timed: n=1600, m=400, d=16", "pairwise_sq_dists", timing=timed(rng, 1600, 400, 16), visible=False),
    ]


def _clipped_matches(g, e) -> bool:
    """The learner's value is right once clipped at 0: its negatives are round-off."""
    return compare(np.maximum(np.asarray(g, float), 0.0), e, Tolerance(rtol=1e-6, atol=1e-6)) is None


def _norms_swapped(X, Y):
    X, Y = np.asarray(X, float), np.asarray(Y, float)
    return (X**2).sum(1)[None, :] + (Y**2).sum(1)[:, None] - 2.0 * X @ Y.T


DIAGNOSES = [
    dx.Diagnosis(
        "took-square-root",
        "These are distances, not squared distances: drop the square root.",
        mistake=lambda c, e: np.sqrt(np.maximum(np.asarray(e, float), 0.0)),
        rules=Tolerance(rtol=1e-5, atol=1e-2, allow_lists=True),  # a square root magnifies round-off near 0
        specificity=dx.VALUE,
    ),
    dx.Diagnosis(
        "transposed-shape",
        "Your result is the transpose of the right one: row i belongs to X[i] and column j to Y[j], shape (n, m).",
        mistake=lambda c, e: np.asarray(e).T if e is not None and np.ndim(e) == 2 else None,
        specificity=dx.VALUE,
    ),
    dx.alternative(
        "norms-on-wrong-axes",
        "The squared norms are added along the wrong axes: ‖x_i‖² belongs to row i ([:, None]) and ‖y_j‖² "
        "to column j ([None, :]).",
        _norms_swapped,
    ),
    dx.when(
        "negative-distances",
        "Some squared distances are slightly negative (round-off in ‖x‖² + ‖y‖² − 2x·y): clip at 0 with np.maximum.",
        lambda c, g, e, m: (
            m is not None and isinstance(g, np.ndarray) and float(np.min(g)) < 0 and _clipped_matches(g, e)
        ),
    ),
    dx.when(
        "far-below-zero",
        "Some squared distances are far below zero: that is not round-off — a squared distance is a sum of "
        "squares. Check how the norms and the product are combined.",
        lambda c, g, e, m: (
            m is not None and isinstance(g, np.ndarray) and float(np.min(g)) < 0 and not _clipped_matches(g, e)
        ),
    ),
]
