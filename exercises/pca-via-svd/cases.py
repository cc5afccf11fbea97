"""Cases for pca-via-svd. Signs are free; scores must flip with their component."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case
from grader.compare import Rules, compare


def sign_free(got, expected, case):
    """Compare up to one sign per component, the same sign for its scores."""
    if not isinstance(got, tuple | list) or len(got) != 3:
        return "Return a tuple (components, scores, explained_variance_ratio)."
    components, scores, ratio = (
        np.asarray(x, dtype=float) if not isinstance(x, list) else np.asarray(x, float) for x in got
    )
    want_c, want_s, want_r = (np.asarray(x, float) for x in expected)
    rules = Rules(rtol=1e-6, atol=1e-8)
    if components.shape != want_c.shape:
        hint = " (components belong in rows, not columns)" if components.shape == want_c.shape[::-1] else ""
        return f"components: expected shape {want_c.shape}, got {components.shape}{hint}."
    signs = np.sign(np.sum(components * want_c, axis=1))
    signs[signs == 0] = 1
    for name, value, want in (
        ("components", components * signs[:, None], want_c),
        ("scores", np.asarray(scores) * signs[None, :] if np.shape(scores) == want_s.shape else scores, want_s),
        ("explained_variance_ratio", ratio, want_r),
    ):
        mismatch = compare(value, want, rules, path=name)
        if mismatch:
            return f"{mismatch.message}" + (f" — {mismatch.detail}" if mismatch.detail else "")
    return None


def build_cases(rng):
    n = rng.standard_normal
    cross = np.array([[2.0, 0.0], [0.0, 1.0], [-2.0, 0.0], [0.0, -1.0]])
    stretched = n((50, 3)) @ np.diag([5.0, 2.0, 0.5]) + np.array([10.0, -3.0, 7.0])
    common = {"check": sign_free}
    return [
        Case("worked example, k = 2", "pca", (cross, 2), **common),
        Case(
            "data far from the origin, k = 2",
            "pca",
            (stretched, 2),
            **common,
            explain="The mean is far from zero here: centring matters.",
        ),
        Case("k = 1 of 4-D data", "pca", (n((30, 4)) @ n((4, 4)) + 5.0, 1), **common),
        Case("hidden: wide data (n < d)", "pca", (n((5, 12)) + 2.0, 3), visible=False, **common),
        Case("hidden: k = d", "pca", (n((40, 3)) * [3.0, 1.0, 0.2] - 4.0, 3), visible=False, **common),
        Case("hidden: two samples", "pca", (n((2, 4)), 1), visible=False, **common),
        Case("hidden: standardised 100 x 4", "pca", (n((100, 4)), 2), visible=False, **common),
    ]


def _uncentred(X, k):
    U, s, Vt = np.linalg.svd(np.asarray(X, float), full_matrices=False)
    return Vt[:k]


def _matches_up_to_sign(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.shape != b.shape:
        return False
    signs = np.sign(np.sum(a * b, axis=-1, keepdims=True))
    signs[signs == 0] = 1
    return np.allclose(a * signs, b, rtol=1e-5, atol=1e-7)


def _sigma_ratio(c, g, e, m):
    X, k = c.args
    s = np.linalg.svd(np.asarray(X, float) - np.mean(X, axis=0), compute_uv=False)
    return isinstance(g, tuple) and len(g) == 3 and np.allclose(np.asarray(g[2], float), s[:k] / s.sum(), rtol=1e-5)


DIAGNOSES = [
    dx.when(
        "uncentred-data",
        "PCA needs centred data: subtract each column's mean before the SVD.",
        lambda c, g, e, m: isinstance(g, tuple) and _matches_up_to_sign(g[0], _uncentred(*c.args)),
    ),
    dx.when(
        "components-as-columns",
        "The components are the rows of Vᵀ (shape (k, d)); you returned them as columns (d, k).",
        lambda c, g, e, m: (
            isinstance(g, tuple) and np.shape(g[0]) == np.shape(e[0])[::-1] and np.shape(g[0]) != np.shape(e[0])
        ),
    ),
    dx.when(
        "ratio-from-sigma",
        "The explained variance ratio uses squared singular values: s[:k]**2 / sum(s**2).",
        _sigma_ratio,
    ),
]
