"""Cases for standardise-then-pca: StandardScaler's arithmetic, then PCA with free signs."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case
from grader.compare import Tolerance, compare

RULES = Tolerance(rtol=1e-6, atol=1e-8)
COMPONENTS_UP_TO_SIGN = Tolerance(1e-5, 1e-7, allow_lists=True, sign_invariant_axis=1)  # rows may flip
SCORES_UP_TO_SIGN = Tolerance(1e-5, 1e-7, allow_lists=True, sign_invariant_axis=0)  # columns may flip


def signs_free(got, expected, case):
    """Each component may be negated, together with its column of scores."""
    if not isinstance(got, tuple | list) or len(got) != 3:
        return "Return a tuple (components, scores, explained_variance_ratio)."
    try:
        components, scores, ratio = (np.asarray(part, dtype=float) for part in got)
    except (TypeError, ValueError):
        return "Each of (components, scores, explained_variance_ratio) must be an array of numbers."
    want_c, want_s, want_r = (np.asarray(part, dtype=float) for part in expected)
    if components.shape != want_c.shape:
        return "components: not of shape (k, d)." + (
            " The components belong in rows." if components.shape == want_c.shape[::-1] else ""
        )
    flip = np.where(np.sum(components * want_c, axis=1) < 0, -1.0, 1.0)
    scores = scores * flip[None, :] if scores.shape == want_s.shape else scores
    for name, value, want in (
        ("components", components * flip[:, None], want_c),
        ("scores", scores, want_s),
        ("explained_variance_ratio", ratio, want_r),
    ):
        mismatch = compare(value, want, RULES, path=name)
        if mismatch:  # a hidden case shows no expected numbers
            return mismatch.message + (f" — {mismatch.detail}" if mismatch.detail and case.visible else "")
    return None


def _units(rng, n):
    """Three measurements of one thing in very different units, plus noise: millimetres, metres, grams."""
    t = rng.standard_normal(n)
    return np.c_[
        1000.0 * (t + 0.3 * rng.standard_normal(n)), t + 0.5 * rng.standard_normal(n), 50 * rng.standard_normal(n)
    ]


def build_cases(rng):
    n = rng.standard_normal
    worked = np.array([[1.0, 200.0, 7.0], [2.0, 100.0, 7.0], [3.0, 400.0, 7.0], [4.0, 300.0, 7.0]])
    lesson = n((100, 4))
    signs = {"check": signs_free}
    with_constant = np.c_[n((20, 2)) * [3.0, 0.5] + 10.0, np.full(20, -2.5), n(20)]
    return [
        Case(
            "standardise: worked example",
            "standardise",
            (worked,),
            explain="The last column is constant: it becomes 0, never NaN.",
        ),
        Case("standardise: the lesson's 100 x 4 data", "standardise", (lesson * [1.0, 10.0, 0.1, 5.0] + 3.0,)),
        Case("pca_standardised: worked example, k = 2", "pca_standardised", (worked, 2), **signs),
        Case(
            "pca_standardised: mixed units, k = 2",
            "pca_standardised",
            (_units(rng, 60), 2),
            explain="Millimetres would dominate an unstandardised PCA.",
            **signs,
        ),
        Case("hidden: standardise a constant column", "standardise", (with_constant,), visible=False),
        Case("hidden: standardise two samples", "standardise", (n((2, 5)) * 4.0 - 1.0,), visible=False),
        Case("hidden: pca with a constant column", "pca_standardised", (with_constant, 3), visible=False, **signs),
        Case(
            "hidden: pca, k = d",
            "pca_standardised",
            (n((40, 3)) * [5.0, 1.0, 0.2] + [1.0, -2.0, 3.0], 3),
            visible=False,
            **signs,
        ),
        Case("hidden: pca, wide data", "pca_standardised", (n((6, 10)) * 2.0 + 7.0, 4), visible=False, **signs),
    ]


def _standardise(X, ddof=0, centre=True, guard=True):
    X = np.asarray(X, dtype=float)
    std = X.std(axis=0, ddof=ddof)
    if guard:
        std = np.where(std > 0, std, 1.0)
    with np.errstate(all="ignore"):
        return ((X - X.mean(axis=0)) if centre else X) / std


def _pca(Z, k):
    """(components, scores, ratio) of data that is centred already; a diagnosis computes only the part it names."""
    _, s, Vt = np.linalg.svd(Z, full_matrices=False)
    return Vt[:k], Z @ Vt[:k].T, s[:k] ** 2 / np.sum(s**2)


def _sigma_ratio(X, k):
    s = np.linalg.svd(_standardise(X), compute_uv=False)
    return s[:k] / np.sum(s)


DIAGNOSES = [
    dx.alternative(
        "ddof-one",
        "You divided by the sample standard deviation (ddof = 1). StandardScaler uses the population one, "
        "np.std's default (ddof = 0): your values are sqrt((n - 1) / n) times too small.",
        lambda X: _standardise(X, ddof=1),
        entry="standardise",
    ),
    dx.alternative(
        "ddof-one",
        "Your scores are sqrt((n - 1) / n) times too small: standardise with the population standard "
        "deviation (ddof = 0), as StandardScaler does.",
        lambda X, k: _pca(_standardise(X, ddof=1), k)[1],
        entry="pca_standardised",
        part=lambda value: value[1],
        rules=SCORES_UP_TO_SIGN,
    ),
    dx.alternative(
        "not-centred",
        "The columns were divided by their standard deviations but never centred: subtract each column's mean first.",
        lambda X: _standardise(X, centre=False),
        entry="standardise",
    ),
    dx.alternative(
        "not-centred",
        "The components point towards the data's mean: centre each column (subtract its mean) before dividing "
        "by its standard deviation.",
        lambda X, k: _pca(_standardise(X, centre=False), k)[0],
        entry="pca_standardised",
        part=lambda value: value[0],
        rules=COMPONENTS_UP_TO_SIGN,
    ),
    dx.alternative(
        "constant-column-nan",
        "A column whose values are all equal has standard deviation 0, and 0 / 0 is NaN. StandardScaler "
        "divides such a column by 1 instead, so it stays 0.",
        lambda X: _standardise(X, guard=False),
        entry="standardise",
    ),
    dx.raised(
        "constant-column-nan",
        "The SVD failed on NaNs: a constant column has standard deviation 0, and 0 / 0 is NaN. Divide such a "
        "column by 1 instead (it stays 0), as StandardScaler does.",
        "LinAlgError",
        entry="pca_standardised",
        mistake=lambda X, k: _pca(_standardise(X, guard=False), k),
    ),
    dx.alternative(
        "ratio-from-sigma",
        "The explained variance ratio uses squared singular values: s[:k]**2 / sum(s**2).",
        _sigma_ratio,
        entry="pca_standardised",
        part=lambda value: value[2],
    ),
]
