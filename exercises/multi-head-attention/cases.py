"""Cases for multi-head-attention."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case


def _softmax(x):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def _mha(split, merge, scale_dim=None):
    def run(X, Wq, Wk, Wv, Wo, num_heads, causal=False):
        X = np.asarray(X, float)
        Q, K, V = (split(X @ W, num_heads) for W in (Wq, Wk, Wv))
        d = scale_dim(X, num_heads) if scale_dim else Q.shape[-1]
        scores = Q @ K.swapaxes(-1, -2) / np.sqrt(d)
        if causal:
            T = X.shape[1]
            scores = np.where(np.tril(np.ones((T, T), bool)), scores, -1e30)
        return merge(_softmax(scores) @ V) @ Wo

    return run


def split_ok(X, h):
    B, T, D = X.shape
    return X.reshape(B, T, h, D // h).transpose(0, 2, 1, 3)


def merge_ok(X):
    B, H, T, dh = X.shape
    return X.transpose(0, 2, 1, 3).reshape(B, T, H * dh)


def split_no_transpose(X, h):
    B, T, D = X.shape
    return X.reshape(B, h, T, D // h)


def split_mixed_batch(X, h):
    B, T, D = X.shape
    return X.reshape(B, T, h, D // h).transpose(2, 0, 1, 3).reshape(B, h, T, D // h)


def merge_no_transpose(X):
    B, H, T, dh = X.shape
    return X.reshape(B, T, H * dh)


def build_cases(rng):
    n = rng.standard_normal

    def weights(D):
        return tuple(n((D, D)) / np.sqrt(D) for _ in range(4))

    example = np.arange(8.0).reshape(1, 2, 4)
    return [
        Case("split: worked example", "split_heads", (example, 2)),
        Case("split: B=2, T=3, D=6, H=3", "split_heads", (n((2, 3, 6)), 3)),
        Case("merge: inverse of the example split", "merge_heads", (split_ok(example, 2),)),
        Case("merge: (2, 4, 3, 2)", "merge_heads", (n((2, 4, 3, 2)),)),
        Case("mha: B=2, T=4, D=8, H=2", "multi_head_attention", (n((2, 4, 8)), *weights(8), 2)),
        Case(
            "mha: causal, B=1, T=5, D=6, H=3", "multi_head_attention", (n((1, 5, 6)), *weights(6), 3), {"causal": True}
        ),
        Case("hidden: split with H = 1", "split_heads", (n((2, 5, 4)), 1), visible=False),
        Case("hidden: split batch 3, H = 4", "split_heads", (n((3, 2, 8)), 4), visible=False),
        Case("hidden: merge batch 3", "merge_heads", (n((3, 2, 5, 4)),), visible=False),
        Case(
            "hidden: mha causal B=3 T=6 D=12 H=4",
            "multi_head_attention",
            (n((3, 6, 12)), *weights(12), 4),
            {"causal": True},
            visible=False,
        ),
        Case("hidden: mha H = D (d_h = 1)", "multi_head_attention", (n((2, 3, 4)), *weights(4), 4), visible=False),
    ]


DIAGNOSES = [
    dx.alternative(
        "reshape-without-transpose",
        "Reshaping (B, T, D) straight to (B, H, T, d_h) mixes tokens across heads: reshape to "
        "(B, T, H, d_h), then swap axes 1 and 2.",
        split_no_transpose,
        entry="split_heads",
    ),
    dx.alternative(
        "heads-mixed-with-batch",
        "The head axis was moved in front of the batch axis and reshaped back, so heads of different "
        "examples got mixed: transpose only axes 1 and 2.",
        split_mixed_batch,
        entry="split_heads",
    ),
    dx.alternative(
        "merge-without-transpose",
        "merge_heads must undo the split: swap axes 1 and 2 back to (B, T, H, d_h) before reshaping.",
        merge_no_transpose,
        entry="merge_heads",
    ),
    dx.alternative(
        "reshape-without-transpose",
        "The heads were split by a bare reshape: tokens got mixed across heads.",
        _mha(split_no_transpose, merge_ok),
        entry="multi_head_attention",
    ),
    dx.alternative(
        "merge-without-transpose",
        "The heads were merged by a bare reshape: undo the transpose first.",
        _mha(split_ok, merge_no_transpose),
        entry="multi_head_attention",
    ),
    dx.alternative(
        "scaled-by-model-dim",
        "Each head's scores must be scaled by √d_h (the head size), not √D (the model width).",
        _mha(split_ok, merge_ok, scale_dim=lambda X, h: X.shape[-1]),
        entry="multi_head_attention",
    ),
]
