"""Cases for attention-torch: tensors in, a float32 tensor out, causal and not."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case, TensorArg
from grader.compare import Tolerance


def t(array):
    return TensorArg(np.asarray(array, dtype=np.float32), dtype="float32")


def _np_attention(q, k, v, causal=False, scale=True, diagonal_masked=False):
    q, k, v = (np.asarray(x.data, np.float64) for x in (q, k, v))
    scores = q @ np.swapaxes(k, -1, -2)
    if scale:
        scores = scores / np.sqrt(q.shape[-1])
    if causal:
        T = scores.shape[-1]
        allowed = np.tril(np.ones((T, T), bool), k=-1 if diagonal_masked else 0)
        scores = np.where(allowed, scores, -np.inf)
    with np.errstate(invalid="ignore"):
        e = np.exp(scores - np.max(scores, axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True) @ v


def build_cases(rng):
    n = rng.standard_normal
    eye = np.eye(2)[None]
    v = np.array([[[1.0, 2.0], [3.0, 4.0]]])
    return [
        Case("worked example", "attention", (t(eye), t(eye), t(v)), strict_dtype=True),
        Case("worked example, causal", "attention", (t(eye), t(eye), t(v)), {"causal": True}, strict_dtype=True),
        Case(
            "batch x heads (2, 4, 6, 8)",
            "attention",
            (t(n((2, 4, 6, 8))), t(n((2, 4, 6, 8))), t(n((2, 4, 6, 8)))),
            strict_dtype=True,
        ),
        Case(
            "causal (2, 4, 6, 8)",
            "attention",
            (t(n((2, 4, 6, 8))), t(n((2, 4, 6, 8))), t(n((2, 4, 6, 8)))),
            {"causal": True},
            strict_dtype=True,
        ),
        Case(
            "hidden: 3-D, d_v differs",
            "attention",
            (t(n((3, 5, 16))), t(n((3, 5, 16))), t(n((3, 5, 4)))),
            visible=False,
            strict_dtype=True,
        ),
        Case(
            "hidden: causal T = 1",
            "attention",
            (t(n((1, 1, 1, 8))), t(n((1, 1, 1, 8))), t(n((1, 1, 1, 8)))),
            {"causal": True},
            visible=False,
            strict_dtype=True,
        ),
        Case(
            "hidden: large scores",
            "attention",
            (t(n((2, 8, 32)) * 20), t(n((2, 8, 32)) * 20), t(n((2, 8, 32)))),
            visible=False,
            strict_dtype=True,
        ),
        Case(
            "hidden: causal T = 16",
            "attention",
            (t(n((1, 2, 16, 8))), t(n((1, 2, 16, 8))), t(n((1, 2, 16, 8)))),
            {"causal": True},
            visible=False,
            strict_dtype=True,
        ),
    ]


def _k_dot_t(q, k, v, causal=False):
    """What q @ k.T computes (NumPy reverses every axis the way torch's .T/.mT-less .T does)."""
    return _np_attention(q, type(k)(np.ascontiguousarray(np.asarray(k.data).T)), v, causal)


def _naive_softmax_overflows(case) -> bool:
    """exp of float32 scores above about 88 is inf, and inf / inf is NaN: a softmax without max subtraction."""
    q, k = (np.asarray(x.data, np.float64) for x in case.args[:2])
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    return bool(np.max(scores) > 88.0)


FLOAT32 = Tolerance(rtol=1e-4, atol=1e-5, allow_lists=True)

DIAGNOSES = [
    dx.when(
        "returned-numpy",
        "Return a torch.Tensor (float32, on the inputs' device), not a NumPy array: drop the .numpy().",
        lambda c, g, e, m: m is not None and m.kind == "type" and isinstance(g, np.ndarray),
    ),
    dx.raised(
        "keys-transposed-wrongly",
        "The product's sizes did not match: transpose k over its last two axes only, k.transpose(-2, -1). "
        "(k.T reverses every axis of a 3-D/4-D tensor, and k itself is not transposed.)",
        "RuntimeError",
        when_case=lambda c: c.args[1].data.ndim >= 3,
        mistake=_k_dot_t,
    ),
    dx.alternative(
        "k-dot-t-on-batches", "k.T reverses every axis of a 3-D/4-D tensor: use k.transpose(-2, -1).", _k_dot_t
    ),
    dx.alternative(
        "missing-scale",
        "The scores were not divided by √d.",
        lambda q, k, v, causal=False: _np_attention(q, k, v, causal, scale=False),
        rules=FLOAT32,  # the learner's float32 against the model's float64: unscaled scores sharpen the softmax
    ),
    dx.alternative(
        "diagonal-masked",
        "NaN in the output: the causal mask also hid the diagonal, so the first query could see no key "
        "at all. Query t may attend to keys 0..t inclusive (tril, not triu(1) inverted wrongly).",
        lambda q, k, v, causal=False: _np_attention(q, k, v, causal, diagonal_masked=True),
        rules=FLOAT32,
    ),
    dx.nonfinite(
        "softmax-overflow",
        "NaN or inf in the output: exp of large scores overflows float32 (above about 88). Subtract each "
        "row's maximum before exponentiating — or use torch.softmax, which does it for you.",
        when_case=_naive_softmax_overflows,
    ),
    dx.dtype_mismatch(),
]
