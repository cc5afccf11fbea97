"""Reusable diagnoses: name the mistake behind a wrong answer, in plain words.

Each builder returns a Diagnosis that an exercise's cases.py lists in one
line. A diagnosis is tried only on a failing case, outside the sandbox, on
trusted inputs (the case's arguments) and untrusted numbers (the learner's
value). Most recognise a mistake by recomputing what that mistake would have
produced and checking whether the learner's value matches it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.cases import Case
from grader.compare import Mismatch, Rules, compare
from grader.values import TensorValue

Test = Callable[[Case, Any, Any, "Mismatch | None"], bool]
LOOSE = Rules(rtol=1e-5, atol=1e-7, allow_lists=True)


@dataclass(frozen=True)
class Diagnosis:
    id: str  # stable slug, used by mistakes/ files and statistics
    message: str  # what the learner reads
    test: Test
    entry: str | None = None  # only for cases of this entry point

    def applies(self, case: Case, got, expected, mismatch: Mismatch | None) -> bool:
        if self.entry is not None and case.entry != self.entry:
            return False
        try:
            return bool(self.test(case, got, expected, mismatch))
        except Exception:  # a diagnosis that cannot be computed for this case does not apply
            return False


def diagnose(case: Case, got, expected, mismatch: Mismatch | None, diagnoses) -> Diagnosis | None:
    """The first diagnosis (case-specific ones first) that explains the failure."""
    for diagnosis in list(case.diagnoses) + list(diagnoses):
        if diagnosis.applies(case, got, expected, mismatch):
            return diagnosis
    return None


def _matches(got, value, rules: Rules = LOOSE) -> bool:
    if value is None:
        return False
    if isinstance(got, TensorValue) and not isinstance(value, TensorValue):
        got = got.array  # a mistake's numbers, computed in NumPy, against the learner's tensor
    return compare(got, value, rules) is None


# generic builders ---------------------------------------------------------------


def alternative(
    id: str, message: str, compute: Callable[..., Any], *, entry: str | None = None, rules: Rules = LOOSE
) -> Diagnosis:
    """The learner's value equals ``compute(*args, **kwargs)``, what the mistake gives."""
    return Diagnosis(id, message, lambda c, g, e, m: _matches(g, compute(*c.args, **c.kwargs), rules), entry)


def when(id: str, message: str, test: Test, *, entry: str | None = None) -> Diagnosis:
    """Any predicate over (case, got, expected, mismatch)."""
    return Diagnosis(id, message, test, entry)


def scaled_by(id: str, message: str, factor: Callable[..., float], *, entry: str | None = None) -> Diagnosis:
    """The learner's value is the expected one times ``factor(*args)`` (a missing scale)."""

    def test(c, g, e, m):
        scaled = _scale(e, factor(*c.args, **c.kwargs))
        return _matches(g, scaled)

    return Diagnosis(id, message, test, entry)


def _scale(value, factor):
    if isinstance(value, TensorValue):
        return TensorValue(value.array * factor, value.dtype, value.device)
    if isinstance(value, tuple):
        return tuple(_scale(v, factor) for v in value)
    return np.asarray(value) * factor


# the mistakes of the first track -------------------------------------------------


def elementwise_product(a: int = 0, b: int = 1, *, entry: str | None = None) -> Diagnosis:
    return alternative(
        "elementwise-product",
        "This is the element-wise product (A * B), not the matrix product: each entry of A @ B is "
        "the dot product of a row of A with a column of B.",
        lambda *args, **kw: np.asarray(args[a], dtype=float) * np.asarray(args[b], dtype=float),
        entry=entry,
    )


def swapped_operands(a: int = 0, b: int = 1, *, entry: str | None = None) -> Diagnosis:
    return alternative(
        "swapped-operands",
        "This is B @ A: the operands are swapped. Matrix multiplication is not commutative.",
        lambda *args, **kw: np.asarray(args[b], dtype=float) @ np.asarray(args[a], dtype=float),
        entry=entry,
    )


def transposed_result(*, entry: str | None = None) -> Diagnosis:
    return when(
        "transposed-result",
        "Your result is the transpose of the right answer: check which index walks rows and which walks columns.",
        lambda c, g, e, m: np.asarray(e).ndim == 2 and _matches(g, np.asarray(e).T),
        entry=entry,
    )


def missing_transpose(which: int = 1, *, entry: str | None = None) -> Diagnosis:
    def compute(*args, **kw):
        left, right = np.asarray(args[0], float), np.asarray(args[1], float)
        return left @ right if which == 1 else left.T @ right

    return alternative(
        "missing-transpose",
        "A transpose is missing: you multiplied by the operand as given instead of its transpose.",
        compute,
        entry=entry,
    )


def no_error_raised(error: str = "ValueError", *, entry: str | None = None) -> Diagnosis:
    return when(
        "no-error-on-mismatch",
        f"The shapes cannot be multiplied, so your function must raise {error}; it returned a value instead.",
        lambda c, g, e, m: c.expect_error is not None and m is not None and m.kind == "no-error",
        entry=entry,
    )


def raised(
    id: str,
    message: str,
    error_type: str,
    *,
    contains: str = "",
    entry: str | None = None,
    when_case: Callable[[Case], bool] | None = None,
) -> Diagnosis:
    """The learner's code raised ``error_type`` (whose message contains ``contains``)."""

    def test(c, g, e, m):
        return (
            m is not None
            and m.kind == "exception"
            and m.data.get("type") == error_type
            and contains.lower() in str(m.data.get("message", "")).lower()
            and (when_case is None or when_case(c))
        )

    return Diagnosis(id, message, test, entry)


def nonfinite(id: str, message: str, *, entry: str | None = None) -> Diagnosis:
    """NaN or infinity where the answer is finite (overflow, division by zero)."""
    return when(id, message, lambda c, g, e, m: m is not None and m.kind == "nonfinite", entry=entry)


def wrong_axis(
    compute_on_axis: Callable[..., Any], *, entry: str | None = None, id: str = "wrong-axis", message: str = ""
) -> Diagnosis:
    """The learner's value equals the operation applied over a different axis."""

    def test(c, g, e, m):
        for axis in range(np.ndim(c.args[0])):
            value = compute_on_axis(axis, *c.args, **c.kwargs)
            if _matches(g, value) and not _matches(e, value):
                return True
        return False

    return Diagnosis(id, message or "The operation is applied over the wrong axis.", test, entry)


def dtype_mismatch(*, entry: str | None = None) -> Diagnosis:
    return when(
        "dtype-mismatch",
        "Right numbers, wrong dtype: convert the result (or the inputs) to the dtype the contract names.",
        lambda c, g, e, m: m is not None and m.kind == "dtype",
        entry=entry,
    )


def device_mismatch(*, entry: str | None = None) -> Diagnosis:
    return when(
        "device-mismatch",
        "The result is on the wrong device: tensors must be moved (.to(device)) to where W lives.",
        lambda c, g, e, m: m is not None and m.kind == "device",
        entry=entry,
    )


def shape_transposed(*, entry: str | None = None) -> Diagnosis:
    return when(
        "transposed-shape",
        "Your result has the transposed shape: rows and columns are exchanged somewhere.",
        lambda c, g, e, m: (
            m is not None
            and m.kind == "shape"
            and len(m.data.get("got_shape", ())) == 2
            and tuple(m.data["got_shape"]) == tuple(m.data["expected_shape"])[::-1]
        ),
        entry=entry,
    )


def uncentred_pca(*, entry: str | None = None) -> Diagnosis:
    """PCA computed without subtracting the column means first."""

    def compute(X, k, **kw):
        X = np.asarray(X, float)
        _, s, vt = np.linalg.svd(X, full_matrices=False)
        return vt[:k]

    return when(
        "uncentred-data",
        "PCA needs centred data: subtract each column's mean before the SVD.",
        lambda c, g, e, m: (
            isinstance(g, tuple) and _matches(g[0], compute(*c.args), Rules(1e-5, 1e-7, sign_invariant_axis=1))
        ),
        entry=entry,
    )
