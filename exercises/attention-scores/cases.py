"""Cases for attention-scores: 2-D through 4-D, with broadcasting over heads."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case


def build_cases(rng):
    n = rng.standard_normal
    return [
        Case(
            "worked example (2-D)",
            "attention_scores",
            (np.array([[1.0, 0.0], [0.0, 2.0]]), np.array([[1.0, 1.0], [2.0, 0.0], [0.0, 1.0]])),
        ),
        Case("batch of 3, Tq = Tk = 4, d = 8", "attention_scores", (n((3, 4, 8)), n((3, 4, 8)))),
        Case("batch x heads (2, 4, 5, 16)", "attention_scores", (n((2, 4, 5, 16)), n((2, 4, 5, 16)))),
        Case(
            "square everything (4, 4, 4)",
            "attention_scores",
            (n((4, 4, 4)), n((4, 4, 4))),
            explain="When every axis has the same size, K.T still has the right shape — and wrong numbers.",
        ),
        Case("hidden: Tq differs from Tk", "attention_scores", (n((2, 3, 6)), n((2, 7, 6))), visible=False),
        Case("hidden: keys shared across heads", "attention_scores", (n((2, 4, 5, 8)), n((2, 1, 6, 8))), visible=False),
        Case("hidden: single query", "attention_scores", (n((1, 1, 32)), n((1, 9, 32))), visible=False),
        Case("hidden: d = 1", "attention_scores", (n((3, 2, 1)), n((3, 4, 1))), visible=False),
    ]


def _k_dot_t(Q, K):
    return np.asarray(Q) @ np.asarray(K).T / np.sqrt(np.shape(Q)[-1])


def _k_untransposed(Q, K):
    return np.asarray(Q) @ np.asarray(K) / np.sqrt(np.shape(Q)[-1])


def _only_untransposed_fails(Q, K):
    """Raises where an untransposed K fails and K.T would have fitted; None (no say) where K.T fails too."""
    try:
        _k_dot_t(Q, K)
    except ValueError:
        return None
    return _k_untransposed(Q, K)


DIAGNOSES = [
    dx.alternative(
        "k-dot-t-on-batches",
        "K.T reverses every axis of a 3-D/4-D array, mixing the batch and head axes in: transpose only "
        "the last two with K.swapaxes(-1, -2).",
        _k_dot_t,
    ),
    dx.alternative(
        "keys-not-transposed",
        "The keys were not transposed: the scores are Q Kᵀ, so swap K's last two axes (K.swapaxes(-1, -2)).",
        _k_untransposed,
    ),
    dx.raised(
        "keys-transposed-wrongly",
        "The inner sizes of the product did not match: transpose K over its last two axes only, with "
        "K.swapaxes(-1, -2). (K.T reverses every axis of a 3-D/4-D array, and K itself is not transposed.)",
        "ValueError",
        contains="core dimension",
        mistake=_k_dot_t,
        same_message=True,
    ),
    dx.raised(
        "keys-not-transposed",
        "The keys were not transposed: the scores are Q Kᵀ, so swap K's last two axes (K.swapaxes(-1, -2)).",
        "ValueError",
        contains="core dimension",
        mistake=_only_untransposed_fails,
        same_message=True,
    ),
    dx.raised(
        "fixed-axes-transpose",
        "K.transpose(0, 2, 1) names exactly three axes, so it fails when there are batch and head axes: "
        "K.swapaxes(-1, -2) swaps the last two axes whatever comes before them.",
        "ValueError",
        contains="axes don't match",
        when_case=lambda c: np.ndim(c.args[1]) != 3,
    ),
    dx.scaled_by(
        "missing-scale",
        "The scores are not scaled: divide Q Kᵀ by √d (d = Q.shape[-1]).",
        lambda Q, K: np.sqrt(np.shape(Q)[-1]),
    ),
    dx.scaled_by("scaled-by-d", "You divided by d; the scale is √d.", lambda Q, K: 1 / np.sqrt(np.shape(Q)[-1])),
]
