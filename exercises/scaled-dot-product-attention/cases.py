"""Cases for scaled-dot-product-attention: plain, masked, causal, batched."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case


def _softmax(x, axis=-1):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _attend(Q, K, V, mask=None, scale=True, axis=-1, mask_after=False):
    scores = Q @ np.swapaxes(K, -1, -2)
    if scale:
        scores = scores / np.sqrt(Q.shape[-1])
    if mask is not None and not mask_after:
        scores = np.where(mask, scores, -1e30)
    weights = _softmax(scores, axis=axis)
    if mask is not None and mask_after:
        weights = weights * mask
    return weights @ V, weights


def causal(T):
    return np.tril(np.ones((T, T), dtype=bool))


def build_cases(rng):
    n = rng.standard_normal
    q, k, v = np.array([[1.0, 0.0]]), np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[10.0, 0.0], [0.0, 10.0]])
    Q, K, V = n((2, 5, 4)), n((2, 5, 4)), n((2, 5, 3))
    return [
        Case("worked example", "attention", (q, k, v)),
        Case("worked example, masked", "attention", (q, k, v), {"mask": np.array([[False, True]])}),
        Case("batch of 2, T = 5", "attention", (Q, K, V)),
        Case(
            "causal, T = 5",
            "attention",
            (Q, K, V),
            {"mask": causal(5)},
            explain="Position t attends to positions 0..t only.",
        ),
        Case(
            "hidden: causal with heads",
            "attention",
            (n((2, 3, 6, 8)), n((2, 3, 6, 8)), n((2, 3, 6, 8))),
            {"mask": causal(6)},
            visible=False,
        ),
        Case(
            "hidden: padding mask per batch",
            "attention",
            (n((2, 4, 4)), n((2, 4, 4)), n((2, 4, 2))),
            {"mask": np.array([[[True, True, True, False]], [[True, True, False, False]]])},
            visible=False,
        ),
        Case("hidden: Tq != Tk", "attention", (n((3, 8)), n((6, 8)), n((6, 5))), visible=False),
        Case("hidden: large scores", "attention", (n((4, 16)) * 30, n((4, 16)) * 30, n((4, 3))), visible=False),
    ]


def _alt(**options):
    def compute(Q, K, V, mask=None):
        if options.get("axis") == -2 and mask is not None and not np.asarray(mask).any(axis=-2).all():
            return None  # a key no query may see: its column is 0/0 or uniform, by the masking constant
        return _attend(np.asarray(Q), np.asarray(K), np.asarray(V), mask, **options)

    return compute


DIAGNOSES = [
    dx.alternative(
        "softmax-over-queries",
        "The softmax ran over the query axis (-2); it must run over the keys (the last axis), so each "
        "query's weights sum to 1.",
        _alt(axis=-2),
    ),
    dx.alternative(
        "mask-after-softmax",
        "The mask was applied after the softmax, so the remaining weights no longer sum to 1: set masked "
        "scores to -inf before the softmax.",
        _alt(mask_after=True),
    ),
    dx.alternative("missing-scale", "The scores were not divided by √d before the softmax.", _alt(scale=False)),
    dx.nonfinite(
        "nonfinite-weights",
        "NaN or inf appeared: subtract the row maximum in the softmax, and make sure masked scores are "
        "-inf (or very negative) only where the mask is False.",
    ),
]
