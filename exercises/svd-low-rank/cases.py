"""Cases for svd-low-rank, including the lesson's 4x3 matrix (singular values 25.46, 1.29, 0)."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case

LESSON = np.arange(1.0, 13.0).reshape(4, 3)


def _svd(A):
    return np.linalg.svd(np.asarray(A, float), full_matrices=False)


def _smallest(A, k):
    U, s, Vt = _svd(A)
    return (U[:, -k:] * s[-k:]) @ Vt[-k:]


def _off_by_one(A, k):
    U, s, Vt = _svd(A)
    return (U[:, : k + 1] * s[: k + 1]) @ Vt[: k + 1]


def _sigma_ratio(A, k):
    s = _svd(A)[1]
    return float(s[:k].sum() / s.sum())


def build_cases(rng):
    n = rng.standard_normal
    spectrum = (n((8, 5)) @ np.diag([10.0, 5.0, 2.0, 1.0, 0.1])) @ np.linalg.qr(n((5, 5)))[0]
    return [
        Case("lesson matrix, k = 1", "low_rank", (LESSON, 1), explain="Off from A by up to about 0.81."),
        Case("lesson matrix, k = 2", "low_rank", (LESSON, 2), explain="Rank 2: reproduces A."),
        Case("energy of the lesson matrix, k = 1", "energy_kept", (LESSON, 1), explain="About 0.9974."),
        Case("tall 8x5, k = 2", "low_rank", (spectrum, 2)),
        Case("energy, tall 8x5, k = 3", "energy_kept", (spectrum, 3)),
        Case("hidden: wide 3x7, k = 2", "low_rank", (n((3, 7)), 2), visible=False),
        Case("hidden: full rank k = min(m, n)", "low_rank", (n((5, 4)), 4), visible=False),
        Case("hidden: energy with k = 1 of a random square", "energy_kept", (n((6, 6)), 1), visible=False),
        Case("hidden: energy at full rank", "energy_kept", (n((4, 9)), 4), visible=False),
        Case("hidden: 1 x n", "low_rank", (n((1, 6)), 1), visible=False),
    ]


DIAGNOSES = [
    dx.alternative(
        "kept-smallest-values",
        "You kept the smallest singular values: np.linalg.svd returns them largest first, so keep the first k.",
        _smallest,
        entry="low_rank",
    ),
    dx.alternative(
        "off-by-one-rank",
        "You kept k + 1 singular values; the rank-k approximation keeps exactly k.",
        _off_by_one,
        entry="low_rank",
    ),
    dx.alternative(
        "sigma-not-squared",
        "Energy adds up as squares: use σ² (sum(s[:k]**2) / sum(s**2)), not σ.",
        _sigma_ratio,
        entry="energy_kept",
    ),
]
