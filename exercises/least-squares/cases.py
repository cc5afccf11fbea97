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


def _ridge(X, y, lam=1e-3):
    X = np.asarray(X, float)
    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ np.asarray(y, float))


def _near(g, value):
    return np.shape(g) == np.shape(value) and np.allclose(np.asarray(g, float), value, rtol=1e-2, atol=1e-3)


DIAGNOSES = [
    dx.raised(
        "inv-on-singular",
        "XᵀX is singular here (collinear features), so inv fails: use the pseudo-inverse "
        "(np.linalg.pinv) or np.linalg.lstsq(X, y, rcond=None)[0].",
        "LinAlgError",
    ),
    dx.when(
        "inv-on-singular",
        "inv of a (nearly) singular XᵀX returned meaningless numbers: use np.linalg.pinv or lstsq.",
        lambda c, g, e, m: (
            m is not None
            and m.kind in ("values", "nonfinite")
            and np.linalg.matrix_rank(np.asarray(c.args[0])) < np.shape(c.args[0])[1]
            and isinstance(g, np.ndarray)
            and float(np.max(np.abs(g))) > 1e3 * max(1.0, float(np.max(np.abs(e))))
        ),
    ),
    dx.when(
        "regularised",
        "This is a ridge (regularised) solution: close, but not the least-squares fit. Drop the λI term and "
        "use the pseudo-inverse.",
        lambda c, g, e, m: m is not None and m.kind == "values" and _near(g, _ridge(*c.args)),
    ),
    dx.when(
        "returned-lstsq-tuple",
        "np.linalg.lstsq returns (solution, residuals, rank, singular values): return only [0].",
        lambda c, g, e, m: isinstance(g, tuple) and len(g) == 4,
    ),
]
