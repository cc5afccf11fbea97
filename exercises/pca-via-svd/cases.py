"""Cases for pca-via-svd. Signs are free; scores must flip with their component."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case
from grader.compare import Tolerance, compare


def sign_free(got, expected, case):
    """Compare up to one sign per component, the same sign for its scores."""
    if not isinstance(got, tuple | list) or len(got) != 3:
        return "Return a tuple (components, scores, explained_variance_ratio)."
    components, scores, ratio = (
        np.asarray(x, dtype=float) if not isinstance(x, list) else np.asarray(x, float) for x in got
    )
    want_c, want_s, want_r = (np.asarray(x, float) for x in expected)
    rules = Tolerance(rtol=1e-6, atol=1e-8)
    if components.shape != want_c.shape:
        hint = " (components belong in rows, not columns)" if components.shape == want_c.shape[::-1] else ""
        if not case.visible:  # a hidden case names no sizes
            return f"components: not of shape (k, d){hint}."
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
            # The detail holds expected numbers: a hidden case shows none.
            return f"{mismatch.message}" + (f" — {mismatch.detail}" if mismatch.detail and case.visible else "")
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


def _standardised(X, k):
    X = np.asarray(X, float)
    Z = (X - X.mean(axis=0)) / X.std(axis=0)
    _, s, Vt = np.linalg.svd(Z, full_matrices=False)
    return _canonical((Vt[:k], Z @ Vt[:k].T, s[:k] ** 2 / np.sum(s**2)))


def _canonical(triple):
    """Each component's largest entry made positive, its scores flipped with it: one sign per axis."""
    components, scores, ratio = (np.asarray(x, float) for x in triple)
    largest = np.argmax(np.abs(components), axis=1)
    signs = np.sign(components[np.arange(len(components)), largest])
    signs[signs == 0] = 1
    return components * signs[:, None], scores * signs[None, :], ratio


def _sigma_ratio(X, k):
    X = np.asarray(X, float)
    s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    return s[:k] / s.sum()


def _as_columns(got, expected) -> bool:
    """The components laid out as columns: the transposed shape, or (k = d) the transpose up to signs."""
    if got.shape != expected.shape:
        return got.shape == expected.shape[::-1]
    if got.ndim != 2 or got.shape[0] != got.shape[1]:
        return False
    rows = got.T * np.sign(np.sum(got.T * expected, axis=1, keepdims=True) + 1e-300)
    return not np.allclose(got, expected, atol=1e-6) and np.allclose(rows, expected, rtol=1e-5, atol=1e-7)


def _triple(value):
    return isinstance(value, tuple | list) and len(value) == 3


DIAGNOSES = [
    dx.uncentred_pca(),
    dx.alternative(
        "standardised-data",
        "You divided each column by its standard deviation (standardising, as the lesson does before PCA). "
        "This exercise centres only: standardising changes the components whenever the columns' spreads differ.",
        _standardised,
        part=_canonical,
    ),
    dx.when(
        "components-as-columns",
        "The components are the rows of Vᵀ (shape (k, d)); you returned them as columns (d, k).",
        lambda c, g, e, m: _triple(g) and _as_columns(np.asarray(g[0], float), np.asarray(e[0], float)),
    ),
    dx.alternative(
        "ratio-from-sigma",
        "The explained variance ratio uses squared singular values: s[:k]**2 / sum(s**2).",
        _sigma_ratio,
        part=lambda value: value[2],
    ),
]
