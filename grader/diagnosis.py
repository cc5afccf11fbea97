"""Reusable diagnoses: name the mistake behind a wrong answer, in plain words.

Each builder returns a Diagnosis that an exercise's cases.py lists in one
line. A diagnosis is tried only on a failing case, outside the sandbox, on
trusted inputs (the case's arguments) and untrusted numbers (the learner's
value).

Soundness, by construction
--------------------------
Most diagnoses recompute what the mistake would have produced from the same
inputs (their ``mistake``). Such a diagnosis fires on a case only when BOTH

1. the mistaken value differs from the expected one beyond tolerance (the
   wider of the diagnosis's matching tolerance and the case's) — where the
   mistake gives the right answer, the case cannot reveal it, and
2. the learner's value matches the mistaken one within the diagnosis's
   tolerance.

The library checks both; an author cannot forget the first. A diagnosis about
an exception (``raised``) may name the mistake only where recomputing the
mistake on the case also fails. Diagnoses that read only the kind of mismatch
(``when``, ``nonfinite``, ``dtype_mismatch``, ...) are the least specific.

Which diagnosis wins
--------------------
Every diagnosis that applies is a candidate; the winner is the first by:

1. specificity, highest first: ``VALUE`` (recomputes the mistake's value and
   the learner's matches it) > ``EXCEPTION`` (the mistake, recomputed, fails
   too) > ``KIND`` (a predicate over the kind of mismatch or exception);
   an author may set ``specificity`` explicitly;
2. a case's own diagnoses before the exercise-wide ones;
3. closeness: the smallest distance between the learner's value and the
   mistaken one, in units of the tolerance;
4. the id, only so that the choice is deterministic (never list order).

`manage.py exercises check` proves on many random cases that no diagnosis
fires on the reference's output and that each file in mistakes/ is named by its
own diagnosis on the first case where it fails.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.cases import Case
from grader.compare import Mismatch, Tolerance, compare
from grader.harness.contract import MismatchKind
from grader.values import TensorValue

Test = Callable[[Case, Any, Any, "Mismatch | None"], bool]
# mistake(case, expected) -> the value the mistaken computation gives on this case
Mistake = Callable[[Case, Any], Any]
LOOSE = Tolerance(rtol=1e-5, atol=1e-7, allow_lists=True)

KIND, EXCEPTION, VALUE = 1, 2, 3  # specificity tiers (higher wins)


@dataclass(frozen=True)
class Diagnosis:
    id: str  # stable slug, used by mistakes/ files and statistics
    message: str  # what the learner reads
    test: Test | None = None  # a further condition (case, got, expected, mismatch) -> bool
    entry: str | None = None  # only for cases of this entry point
    mistake: Mistake | None = None  # what the mistake computes on this case
    part: Callable[[Any], Any] | None = None  # the piece of a returned value the mistake computes
    rules: Tolerance = LOOSE  # how close the learner's value must be to the mistaken one
    specificity: int = KIND
    raises: bool = False  # the mistake is recognised by failing (an exception), not by a value
    same_message: bool = False  # with raises: the learner's exception message is the mistake's, word for word

    def evidence(self, case: Case, got, expected, mismatch: Mismatch | None) -> float | None:
        """None when this diagnosis does not apply; else how far the learner's value is from the mistake's."""
        if self.entry is not None and case.entry != self.entry:
            return None
        try:
            return self._evidence(case, got, expected, mismatch)
        except Exception:  # a diagnosis that cannot be computed for this case does not apply
            return None

    def applies(self, case: Case, got, expected, mismatch: Mismatch | None) -> bool:
        return self.evidence(case, got, expected, mismatch) is not None

    def _evidence(self, case, got, expected, mismatch) -> float | None:
        if self.test is not None and not self.test(case, got, expected, mismatch):
            return None
        if self.mistake is None:
            return 0.0
        if self.raises:
            try:
                self.mistake(case, expected)
            except Exception as exc:  # the mistake fails on this case too
                if not self.same_message:
                    return 0.0
                learner = str((mismatch.data if mismatch is not None else {}).get("message", ""))
                return 0.0 if " ".join(str(exc).split()) == " ".join(learner.split()) else None
            return None
        mistaken = self.mistake(case, expected)
        if mistaken is None:
            return None
        if self.part is not None:
            got = self.part(got)
            expected = self.part(expected) if expected is not None else None
        if _matches(expected, mistaken, _wider(self.rules, case)):
            return None  # the mistake gives the right answer here: this case cannot reveal it
        return _distance(got, mistaken, self.rules)


def diagnose(
    case: Case, got, expected, mismatch: Mismatch | None, diagnoses, rules: Tolerance | None = None
) -> Diagnosis | None:
    """The most specific diagnosis that explains the failure (see the module docstring), or None."""
    own = list(case.diagnoses)
    candidates = []
    for rank, pool in ((0, own), (1, list(diagnoses))):
        for diagnosis in pool:
            distance = diagnosis.evidence(case, got, expected, mismatch)
            if distance is not None:
                candidates.append(((-diagnosis.specificity, rank, distance, diagnosis.id), diagnosis))
    if not candidates:
        return None
    return min(candidates, key=lambda pair: pair[0])[1]


@dataclass(frozen=True)
class Observation:
    """One case of a run as the judge saw it: what the learner's code did beside what was expected."""

    case: Case
    got: Any  # the learner's value (None when it raised)
    expected: Any  # the reference's value (None when it raised)
    mismatch: Mismatch | None  # None: the case passed


def name_mistakes(observations: Sequence[Observation], diagnoses: Sequence[Diagnosis]) -> dict[str, Diagnosis]:
    """The mistake named on each failing case of one run, by case name (a case absent names none).

    The judge calls this once per run, with every case it could compare (passing ones too), so that
    a mistake can be held to the whole run and not to one case's coincidence. Today each failing
    case is diagnosed on its own (``diagnose``); the rule of issue "Feedback that never misleads,
    second pass" replaces this body: a mistake is named only when its model explains every case
    where the two can be compared.
    """
    named = {}
    for observation in observations:
        if observation.mismatch is None:
            continue
        found = diagnose(observation.case, observation.got, observation.expected, observation.mismatch, diagnoses)
        if found is not None:
            named[observation.case.name] = found
    return named


def _wider(rules: Tolerance, case: Case) -> Tolerance:
    return Tolerance(
        rtol=max(rules.rtol, case.rtol or 0.0),
        atol=max(rules.atol, case.atol or 0.0),
        allow_lists=True,
        sign_invariant_axis=rules.sign_invariant_axis,
    )


def _plain(value):
    if isinstance(value, TensorValue):
        return value.array  # a mistake's numbers, computed in NumPy, against the learner's tensor
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    return value


def _matches(got, value, rules: Tolerance = LOOSE) -> bool:
    if value is None:
        return False
    if isinstance(got, (TensorValue, tuple)) and not isinstance(value, TensorValue):
        got = _plain(got)
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        value = float(value)
    return compare(got, value, rules) is None


def _distance(got, value, rules: Tolerance) -> float | None:
    """None unless got matches value; else the largest error in units of the tolerance (0 = exact)."""
    if not _matches(got, value, rules):
        return None
    try:
        g = np.concatenate([np.ravel(np.asarray(x, float)) for x in _leaves(_plain(got))])
        v = np.concatenate([np.ravel(np.asarray(x, float)) for x in _leaves(_plain(value))])
    except (TypeError, ValueError):
        return 0.0
    if g.shape != v.shape or g.size == 0:
        return 0.0
    with np.errstate(invalid="ignore"):
        scaled = np.abs(g - v) / (rules.atol + rules.rtol * np.abs(v))
    return float(np.nanmax(scaled)) if np.isfinite(scaled).any() else 0.0


def _leaves(value):
    if isinstance(value, (tuple, list)) and not _numeric_list(value):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def _numeric_list(value) -> bool:
    try:
        return np.asarray(value).dtype.kind in "biuf"
    except (TypeError, ValueError):
        return False


# generic builders ---------------------------------------------------------------


def alternative(
    id: str,
    message: str,
    compute: Callable[..., Any],
    *,
    entry: str | None = None,
    rules: Tolerance = LOOSE,
    part: Callable[[Any], Any] | None = None,
    test: Test | None = None,
    specificity: int = VALUE,
) -> Diagnosis:
    """The learner's value equals ``compute(*args, **kwargs)``, what the mistake gives, and that differs
    from the expected value on this case. ``part`` picks the piece of a returned value (e.g. one item of
    a tuple) that ``compute`` computes."""
    return Diagnosis(
        id,
        message,
        test=test,
        entry=entry,
        mistake=lambda c, e: compute(*c.args, **c.kwargs),
        part=part,
        rules=rules,
        specificity=specificity,
    )


def when(id: str, message: str, test: Test, *, entry: str | None = None, specificity: int = KIND) -> Diagnosis:
    """Any predicate over (case, got, expected, mismatch): for the kind of a mismatch, not its numbers.

    Prefer ``alternative`` whenever the mistake's value can be recomputed: only then can the library
    prove that the case tells the mistake apart from the right answer."""
    return Diagnosis(id, message, test=test, entry=entry, specificity=specificity)


def scaled_by(id: str, message: str, factor: Callable[..., float], *, entry: str | None = None) -> Diagnosis:
    """The learner's value is the expected one times ``factor(*args)`` (a missing scale)."""
    return Diagnosis(
        id,
        message,
        entry=entry,
        mistake=lambda c, e: _scale(e, factor(*c.args, **c.kwargs)),
        specificity=VALUE,
    )


def _scale(value, factor):
    if isinstance(value, TensorValue):
        return value.array * factor
    if isinstance(value, tuple):
        return tuple(_scale(v, factor) for v in value)
    return np.asarray(value) * factor


def result_dtype(id: str, message: str, dtype_of: Callable[..., str], *, entry: str | None = None) -> Diagnosis:
    """The result's dtype is ``dtype_of(*args)``, what the mistake's type promotion gives, and that
    differs from the expected dtype on this case."""
    return Diagnosis(
        id,
        message,
        test=lambda c, g, e, m: isinstance(g, TensorValue) and isinstance(e, TensorValue),
        entry=entry,
        mistake=lambda c, e: str(dtype_of(*c.args, **c.kwargs)),
        part=lambda v: str(v.dtype),
        specificity=VALUE,
    )


# the mistakes of the first track -------------------------------------------------


def elementwise_product(a: int = 0, b: int = 1, *, entry: str | None = None) -> Diagnosis:
    return alternative(
        "elementwise-product",
        "This is the element-wise product (A * B), not the matrix product: each entry of A @ B is "
        "the dot product of a row of A with a column of B.",
        lambda *args, **_kw: np.asarray(args[a], dtype=float) * np.asarray(args[b], dtype=float),
        entry=entry,
    )


def swapped_operands(a: int = 0, b: int = 1, *, entry: str | None = None) -> Diagnosis:
    return alternative(
        "swapped-operands",
        "This is B @ A: the operands are swapped. Matrix multiplication is not commutative.",
        lambda *args, **_kw: np.asarray(args[b], dtype=float) @ np.asarray(args[a], dtype=float),
        entry=entry,
    )


def transposed_result(*, entry: str | None = None) -> Diagnosis:
    return Diagnosis(
        "transposed-result",
        "Your result is the transpose of the right answer: check which index walks rows and which walks columns.",
        entry=entry,
        mistake=lambda c, e: np.asarray(e).T if np.asarray(e).ndim == 2 else None,
        specificity=VALUE,
    )


def missing_transpose(which: int = 1, *, entry: str | None = None) -> Diagnosis:
    def compute(*args, **_kw):
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
        lambda c, g, e, m: c.expect_error is not None and m is not None and m.kind == MismatchKind.NO_ERROR,
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
    mistake: Callable[..., Any] | None = None,
    same_message: bool = False,
) -> Diagnosis:
    """The learner's code raised ``error_type`` (whose message contains ``contains``).

    With ``mistake`` (the mistaken computation, called with the case's arguments), the diagnosis fires
    only where that computation fails too: an exception alone rarely says which mistake caused it.
    ``same_message`` also asks for the very message the mistake raises (NumPy's messages name the
    sizes involved, which tells most mistakes apart)."""

    def test(c, g, e, m):
        return (
            m is not None
            and m.kind == MismatchKind.EXCEPTION
            and m.data.get("type") == error_type
            and contains.lower() in str(m.data.get("message", "")).lower()
            and (when_case is None or when_case(c))
        )

    return Diagnosis(
        id,
        message,
        test=test,
        entry=entry,
        mistake=(lambda c, e: mistake(*c.args, **c.kwargs)) if mistake is not None else None,
        raises=mistake is not None,
        same_message=same_message,
        specificity=EXCEPTION if mistake is not None else KIND,
    )


def nonfinite(
    id: str, message: str, *, entry: str | None = None, when_case: Callable[[Case], bool] | None = None
) -> Diagnosis:
    """NaN or infinity where the answer is finite (overflow, division by zero)."""
    return when(
        id,
        message,
        lambda c, g, e, m: m is not None and m.kind == MismatchKind.NONFINITE and (when_case is None or when_case(c)),
        entry=entry,
    )


def wrong_axis(
    compute_on_axis: Callable[..., Any], *, entry: str | None = None, id: str = "wrong-axis", message: str = ""
) -> Diagnosis:
    """The learner's value equals the operation applied over a different axis."""

    def test(c, g, e, m):
        for axis in range(np.ndim(c.args[0])):
            value = compute_on_axis(axis, *c.args, **c.kwargs)
            if _matches(g, value) and not _matches(e, value, _wider(LOOSE, c)):
                return True
        return False

    return Diagnosis(
        id, message or "The operation is applied over the wrong axis.", test=test, entry=entry, specificity=VALUE
    )


def dtype_mismatch(*, entry: str | None = None) -> Diagnosis:
    return when(
        "dtype-mismatch",
        "Right numbers, wrong dtype: convert the result (or the inputs) to the dtype the contract names.",
        lambda c, g, e, m: m is not None and m.kind == MismatchKind.DTYPE,
        entry=entry,
    )


def device_mismatch(*, entry: str | None = None) -> Diagnosis:
    return when(
        "device-mismatch",
        "The result is on the wrong device: tensors must be moved (.to(device)) to where W lives.",
        lambda c, g, e, m: m is not None and m.kind == MismatchKind.DEVICE,
        entry=entry,
    )


def shape_transposed(*, entry: str | None = None) -> Diagnosis:
    return when(
        "transposed-shape",
        "Your result has the transposed shape: rows and columns are exchanged somewhere.",
        lambda c, g, e, m: (
            m is not None
            and m.kind == MismatchKind.SHAPE
            and len(m.data.get("got_shape", ())) == 2
            and tuple(m.data["got_shape"]) == tuple(m.data["expected_shape"])[::-1]
            and tuple(m.data["got_shape"]) != tuple(m.data["expected_shape"])
        ),
        entry=entry,
    )


def uncentred_pca(*, entry: str | None = None) -> Diagnosis:
    """PCA computed without subtracting the column means first (components compared up to sign)."""

    def compute(X, k, **_kw):
        X = np.asarray(X, float)
        return np.linalg.svd(X, full_matrices=False)[2][:k]

    return alternative(
        "uncentred-data",
        "PCA needs centred data: subtract each column's mean before the SVD.",
        compute,
        entry=entry,
        part=lambda value: value[0],
        rules=Tolerance(1e-5, 1e-7, allow_lists=True, sign_invariant_axis=1),
    )
