"""Cases for vectorise-pairwise: correctness first, then two timed cases with fresh inputs per run."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case, Timing
from grader.compare import Mismatch, Rules, compare

REPETITIONS = 5


def timed(rng, n, m, d):
    sets = tuple((rng.standard_normal((n, d)), rng.standard_normal((m, d))) for _ in range(REPETITIONS))
    return Timing(arg_sets=sets, warmup=1, flops=2.0 * n * m * d, bytes_moved=8.0 * (n * d + m * d + n * m))


def close_and_nonnegative(got, expected, case):
    mismatch = compare(got, expected, Rules(rtol=1e-6, atol=1e-6))
    if mismatch is None and float(np.min(got)) < 0:
        return Mismatch(
            "negative", "Squared distances cannot be negative.", detail=f"smallest: {float(np.min(got)):.3g}"
        )
    return mismatch


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
            "a point against itself",
            "pairwise_sq_dists",
            (np.array([[1e3, -2e3, 5e2]]),) * 2,
            **ok,
            explain="Exactly 0 — not a tiny negative number.",
        ),
        Case("hidden: single points", "pairwise_sq_dists", (n((1, 7)), n((1, 7))), visible=False, **ok),
        Case("hidden: Y is X", "pairwise_sq_dists", (n((6, 3)),) * 2, visible=False, **ok),
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


DIAGNOSES = [
    dx.when(
        "took-square-root",
        "These are distances, not squared distances: drop the square root.",
        lambda c, g, e, m: (
            m is not None
            and m.kind == "values"
            and isinstance(g, np.ndarray)
            and np.allclose(g, np.sqrt(np.maximum(np.asarray(e, float), 0)), rtol=1e-5, atol=1e-6)
        ),
    ),
    dx.shape_transposed(),
    dx.when(
        "negative-distances",
        "Some squared distances are negative (round-off in ‖x‖² + ‖y‖² − 2x·y): clip at 0 with np.maximum.",
        lambda c, g, e, m: m is not None and isinstance(g, np.ndarray) and float(np.min(g)) < 0,
    ),
]
