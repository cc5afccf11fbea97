"""Cases for least-squares: full rank, collinear, wide and singular designs."""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case


def build_cases(rng):
    n = rng.standard_normal
    tall = n((20, 3))
    collinear = np.column_stack([tall[:, 0], tall[:, 1], 2 * tall[:, 0] - tall[:, 1]])
    duplicated = np.column_stack([tall, tall[:, :1]])
    return [
        Case("tall, full rank", "fit", (tall, tall @ np.array([1.0, -2.0, 0.5]) + 0.01 * n(20))),
        Case(
            "worked example (second column = 2 x first)",
            "fit",
            (np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]]), np.array([1.0, 2.0, 3.0])),
            explain="Minimum-norm solution (0.2, 0.4).",
        ),
        Case("a duplicated column", "fit", (duplicated, n(20))),
        Case("hidden: a column that is a combination of two others", "fit", (collinear, n(20)), visible=False),
        Case("hidden: wide (more features than samples)", "fit", (n((4, 9)), n(4)), visible=False),
        Case("hidden: several targets", "fit", (duplicated, n((20, 3))), visible=False),
        Case("hidden: an all-zero column", "fit", (np.column_stack([tall, np.zeros(20)]), n(20)), visible=False),
        Case("hidden: one sample", "fit", (n((1, 3)), n(1)), visible=False),
    ]


def _ridge_lambda(X, y, w) -> float | None:
    """lambda > 0 when w solves (XᵀX + lambda I) w = Xᵀy, i.e. w is a ridge solution; else None."""
    X, y, w = (np.asarray(a, float) for a in (X, y, w))
    if w.shape != (X.shape[1],) + y.shape[1:] or not np.all(np.isfinite(w)) or not np.any(w):
        return None
    r = X.T @ (y - X @ w)  # = lambda * w for a ridge solution
    lam = float(np.sum(r * w) / np.sum(w * w))
    scale = float(np.linalg.norm(X.T @ X)) or 1.0
    if lam <= 1e-9 * scale:
        return None  # no shrinkage: a least-squares solution, or one that is off for another reason
    return lam if np.linalg.norm(r - lam * w) <= 1e-6 * max(np.linalg.norm(r), 1e-300) + 1e-9 else None


DIAGNOSES = [
    dx.raised(
        "inv-on-singular",
        "XᵀX is singular here (collinear features), so inv fails: use the pseudo-inverse "
        "(np.linalg.pinv) or np.linalg.lstsq(X, y, rcond=None)[0].",
        "LinAlgError",
    ),
    dx.when(
        "inv-on-singular",
        "Wrong only where the features are collinear: XᵀX is singular here, and inverting it — or solving "
        "with a cut-off too small for round-off — gives round-off, not the minimum-norm solution. Use "
        "np.linalg.pinv(X) @ y or np.linalg.lstsq(X, y) (NumPy 2's default cut-off is the right one).",
        lambda c, g, e, m: (
            m is not None
            and m.kind in ("values", "nonfinite")
            and np.linalg.matrix_rank(np.asarray(c.args[0])) < np.shape(c.args[0])[1]
            and not np.allclose(np.asarray(g, float), np.asarray(e, float), rtol=1e-6, atol=1e-8)
        ),
    ),
    dx.when(
        "regularised",
        "This is a ridge (regularised) solution, (XᵀX + λI)⁻¹ Xᵀy with λ > 0: close, but not the least-squares "
        "fit. Drop the λI term and use the pseudo-inverse.",
        lambda c, g, e, m: m is not None and m.kind == "values" and _ridge_lambda(*c.args, g) is not None,
        specificity=dx.VALUE,
    ),
    dx.when(
        "returned-lstsq-tuple",
        "np.linalg.lstsq returns (solution, residuals, rank, singular values): return only [0].",
        lambda c, g, e, m: isinstance(g, tuple) and len(g) == 4,
    ),
]
