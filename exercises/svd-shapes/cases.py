"""Cases for svd-shapes: thin and full factor shapes, and rebuilding A from either form.

svd_parts is checked by properties (shapes, orthonormality, singular values,
product), so any valid choice of signs is accepted.
"""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case
from grader.compare import Mismatch

LESSON = np.arange(1.0, 13.0).reshape(4, 3)


def _shapes(m, n, full):
    k = min(m, n)
    return ((m, m), (k,), (n, n)) if full else ((m, k), (k,), (k, n))


def _close(a, b, scale=1.0):
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-6, atol=1e-8 * max(1.0, scale))


def _as_factors(got):
    if not isinstance(got, tuple | list) or len(got) != 3:
        return None
    try:
        return tuple(np.asarray(x, dtype=float) for x in got)
    except (TypeError, ValueError):
        return None


def factors_ok(got, expected, case):
    """Shapes of the requested form, orthonormal U columns and Vt rows, the singular values, U diag(s) Vt = A."""
    A = np.asarray(case.args[0], dtype=float)
    full = bool(case.kwargs.get("full", False))
    factors = _as_factors(got)
    if factors is None:
        return "Return a tuple of three arrays (U, s, Vt)."
    m, n = A.shape
    k = min(m, n)
    form = "full" if full else "thin"
    for name, value, want in zip(("U", "s", "Vt"), factors, _shapes(m, n, full), strict=True):
        if value.shape != want:
            return Mismatch(
                "shape",
                f"{form} SVD of a {m}x{n} matrix: {name} must have shape {want}, got {value.shape}.",
                data={"factor": name, "got_shape": value.shape, "expected_shape": want},
            )
    U, s, Vt = factors
    want_s = np.asarray(expected[1], dtype=float)
    scale = float(np.abs(A).max()) if A.size else 1.0
    if not _close(s, want_s, scale):
        want, have = np.round(want_s, 4).tolist(), np.round(s, 4).tolist()
        return f"The singular values should be {want} (largest first); got {have}."
    if not _close(U.T @ U, np.eye(U.shape[1])):
        return "The columns of U are not orthonormal (U.T @ U is not the identity)."
    if not _close(Vt @ Vt.T, np.eye(Vt.shape[0])):
        return "The rows of Vt are not orthonormal (Vt @ Vt.T is not the identity)."
    rebuilt = (U[:, :k] * s) @ Vt[:k]
    if not _close(rebuilt, A, scale):
        return f"U diag(s) Vt does not give back A: the largest difference is {np.abs(rebuilt - A).max():.3g}."
    return None


def build_cases(rng):
    n = rng.standard_normal
    parts = "svd_parts"
    cases = [
        Case("lesson 4x3, thin", parts, (LESSON,), explain="U (4, 3), s (3,), Vt (3, 3)."),
        Case("lesson 4x3, full", parts, (LESSON,), {"full": True}, explain="U (4, 4), s (3,), Vt (3, 3)."),
        Case("wide 2x5, thin", parts, (n((2, 5)),), explain="U (2, 2), s (2,), Vt (2, 5)."),
        Case("wide 2x5, full", parts, (n((2, 5)),), {"full": True}, explain="U (2, 2), s (2,), Vt (5, 5)."),
        Case("hidden: square 4x4, thin", parts, (n((4, 4)),), visible=False),
        Case("hidden: tall 7x2, full", parts, (n((7, 2)),), {"full": True}, visible=False),
        Case("hidden: wide 3x6, full", parts, (n((3, 6)) * 100.0,), {"full": True}, visible=False),
        Case("hidden: one row, thin", parts, (n((1, 4)),), visible=False),
    ]
    for case in cases:
        object.__setattr__(case, "check", factors_ok)
    rebuild = "reconstruct"
    for name, A, full, visible, note in (
        ("square 3x3, thin", n((3, 3)), False, True, "The simplest form: every inner dimension is 3."),
        ("lesson 4x3, thin", LESSON, False, True, "Gives back the lesson's matrix."),
        ("tall 5x2, full", n((5, 2)), True, True, "U is (5, 5) but s has 2 values: only U's first 2 columns count."),
        ("wide 2x4, full", n((2, 4)), True, True, "Vt is (4, 4) but s has 2 values: only its first 2 rows count."),
        ("hidden: square 4x4, thin", n((4, 4)), False, False, ""),
        ("hidden: tall 6x3, thin", n((6, 3)), False, False, ""),
        ("hidden: wide 3x5, thin", n((3, 5)), False, False, ""),
        ("hidden: tall 6x3, full", n((6, 3)), True, False, ""),
        ("hidden: wide 3x7, full", n((3, 7)), True, False, ""),
        ("hidden: square 3x3, full", n((3, 3)) * 1e3, True, False, ""),
    ):
        U, s, Vt = np.linalg.svd(A, full_matrices=full)
        cases.append(Case(f"rebuild {name}", rebuild, (U, s, Vt), visible=visible, explain=note))
    return cases


# diagnoses of svd_parts ----------------------------------------------------------------


def _returned_v(c, g, e, m):
    """The third factor is V (Vt transposed): the product only works with it transposed back."""
    A = np.asarray(c.args[0], dtype=float)
    U, s, third = _as_factors(g)
    k = min(A.shape)
    rebuilt_as_v = (U[:, :k] * s) @ third.T[:k]
    return _close(rebuilt_as_v, A, float(np.abs(A).max())) and not _close((U[:, :k] * s) @ third[:k], A)


def _ignored_full(c, g, e, m):
    A = np.asarray(c.args[0], dtype=float)
    shapes = tuple(x.shape for x in _as_factors(g))
    thin, full = _shapes(*A.shape, False), _shapes(*A.shape, True)
    return c.kwargs.get("full", False) and thin != full and shapes == thin


def _sigma_matrix(c, g, e, m):
    return _as_factors(g)[1].ndim == 2


# diagnoses of reconstruct: each recomputes the mistake on the first k columns of U / rows of Vt --------


def _trimmed(U, s, Vt):
    U, s, Vt = (np.asarray(x, dtype=float) for x in (U, s, Vt))
    k = len(s)
    return U[:, :k], s, Vt[:k]


def _s_scales_rows_of_u(U, s, Vt):
    U, s, Vt = _trimmed(U, s, Vt)
    return (s[:, None] * U) @ Vt


def _s_scales_columns_of_vt(U, s, Vt):
    U, s, Vt = _trimmed(U, s, Vt)
    return U @ (Vt * s)


def _s_as_matrix(U, s, Vt):
    U, s, Vt = _trimmed(U, s, Vt)
    return U @ s @ Vt


def _used_v(U, s, Vt):
    U, s, _ = _trimmed(U, s, Vt)
    return (U * s) @ np.asarray(Vt, dtype=float).T[: len(s)]


def _untrimmed(U, s, Vt):
    return (np.asarray(U, dtype=float) * np.asarray(s, dtype=float)) @ np.asarray(Vt, dtype=float)


def _untrimmed_diag(U, s, Vt):
    """The lesson's U @ np.diag(s) @ Vt, on factors that may be the full ones."""
    return np.asarray(U, dtype=float) @ np.diag(np.asarray(s, dtype=float)) @ np.asarray(Vt, dtype=float)


FULL_MISALIGNED = (
    "In the full form U is (m, m) and Vt is (n, n) but s has only k = min(m, n) values, so the shapes "
    "do not line up: use U[:, :k] and Vt[:k, :] (or pad Σ to an (m, n) matrix of zeros)."
)


def _family(message: str) -> str:
    """What kind of shape error a NumPy message reports (stable across NumPy versions)."""
    message = message.lower()
    if "broadcast" in message:
        return "broadcast"
    if "matmul" in message or "mismatch" in message or "aligned" in message:
        return "matmul"
    return message


S_WRONG_AXIS = (
    "s scales the wrong axis: U diag(s) multiplies each COLUMN of U by its singular value — U * s "
    "(or s[:, None] * Vt for the rows of Vt) — not U's rows (s[:, None] * U) nor Vt's columns (Vt * s)."
)
S_AS_MATRIX = (
    "s is a vector of singular values, not the matrix Σ: U @ s @ Vt collapses U to a vector. "
    "Scale U's columns (U * s) or build np.diag(s) first."
)

DIAGNOSES = [
    dx.when(
        "returned-v-not-vt",
        "Your third factor is V, not Vᵀ: its columns are the right singular vectors. "
        "np.linalg.svd already returns Vᵀ (rows are the vectors) — return it as it is.",
        _returned_v,
        entry="svd_parts",
    ),
    dx.when(
        "ignored-full",
        "full=True asks for the full form: U square (m, m) and Vt square (n, n). You returned the thin shapes.",
        _ignored_full,
        entry="svd_parts",
    ),
    dx.when(
        "sigma-as-matrix",
        "Return the singular values as a vector s of shape (k,), not as the diagonal matrix Σ.",
        _sigma_matrix,
        entry="svd_parts",
    ),
    dx.alternative("s-on-wrong-axis", S_WRONG_AXIS, _s_scales_rows_of_u, entry="reconstruct", message_key=_family),
    dx.alternative("s-on-wrong-axis", S_WRONG_AXIS, _s_scales_columns_of_vt, entry="reconstruct", message_key=_family),
    dx.alternative("s-as-matrix", S_AS_MATRIX, _s_as_matrix, entry="reconstruct", message_key=_family),
    dx.alternative(
        "used-v-not-vt",
        "The last factor is already Vᵀ: multiply by Vt as given, not by Vt.T.",
        _used_v,
        entry="reconstruct",
        message_key=_family,
    ),
    *(
        dx.alternative("full-form-misaligned", FULL_MISALIGNED, compute, entry="reconstruct", message_key=_family)
        for compute in (_untrimmed, _untrimmed_diag)
    ),
]
