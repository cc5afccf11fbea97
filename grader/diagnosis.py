"""Reusable diagnoses: name the mistake behind a wrong answer, in plain words.

Each builder returns a Diagnosis that an exercise's cases.py lists in one
line. A diagnosis runs outside the sandbox, on trusted inputs (the cases'
arguments) and untrusted numbers (the learner's values).

The rule: a mistake is named only when it explains the whole run
------------------------------------------------------------------
The judge calls ``name_mistakes`` once per run with every case it could
compare, passing ones too. A diagnosis with a *model* (its ``mistake``: what
the mistaken code computes, or raises, on a case) is held to every case of its
scope — the cases of its entry point (``entry``), or of every entry point when
it names none:

- a passing case: the mistake, recomputed, must pass it too (it gives the
  right value there). A mistake that would have failed a case the learner
  passed is not the learner's mistake. (Where the case expects an exception and
  the learner raised it, a value model says nothing: the input checks are not
  the value mistake's; a trigger model must raise there too);
- a failing case where the learner returned a value: the learner's value must
  match the mistake's (within the diagnosis's tolerance). Where the mistake
  gives the right answer the case reveals nothing, unless the learner's
  numbers are wrong too (then the mistake does not explain them);
- an exception: the mistake, recomputed, must raise exactly where the learner
  raised (the same trigger), of the same built-in family (``error``: a
  ``ValueError`` subclass is a ``ValueError``), and — where the diagnosis asks
  (``same_message``, ``message_key``) — with the same message. A value model
  (``alternative``) names an exception only with ``message_key`` or
  ``same_message``; otherwise a shared exception is merely consistent with it.

A model that cannot be computed on a case (it returns None, or its ``test``
says the case is out of its reach) says nothing there. The mistake is named on
each failing case it explains, when no case of its scope contradicts it.
``raises=True`` models only the trigger: where neither side raises, the values
are not compared, and a mistake that returns None says nothing of that case.
A case's own diagnoses (``Case.diagnoses``) are held to the whole run too, and
name only their own case.

Diagnoses without a model
-------------------------
``when``, ``nonfinite``, ``dtype_mismatch``, ``no_error_raised``, ``wrong_axis``
and a ``raised`` without ``mistake`` read only the failing case (the kind of
mismatch, the exception's type): they cannot be checked against passing
cases. Such a diagnosis is named on a failing case only where its test holds,
no diagnosis with a model is named there, and every other failing case of its
scope is accounted for: explained by a named model, or satisfying the test of
some diagnosis (this one or another without a model). A learner with one
failure nothing accounts for is then told plainly what differs, never a guess.

Which diagnosis wins
--------------------
Every diagnosis that may be named on a case is a candidate; the winner is the
first by:

1. specificity, highest first: ``VALUE`` (recomputes the mistake's value and
   the learner's matches it) > ``EXCEPTION`` (the mistake, recomputed, fails
   too) > ``KIND`` (a predicate over the kind of mismatch or exception);
   an author may set ``specificity`` explicitly;
2. a case's own diagnoses before the exercise-wide ones;
3. closeness: the smallest distance between the learner's value and the
   mistaken one, in units of the tolerance;
4. the id, only so that the choice is deterministic (never list order).

``grader.mistake_proof.prove`` proves the rule on an exercise (for
`exercises check`, and in tests/exercises/test_mistake_proof.py): over correct
variants, each file in mistakes/ and blends of two mistakes, no diagnosis is
named on code that does not make its mistake, and each mistake is named by its
own diagnosis on its first failing case.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
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
# Mismatch kinds where the learner's code raised (the judge puts type, message and family in data).
RAISED_KINDS = frozenset({MismatchKind.EXCEPTION, MismatchKind.WRONG_EXCEPTION, MismatchKind.ERROR_MESSAGE})


class Fit(Enum):
    """What a diagnosis's model says of one case of a run."""

    EXPLAINS = "explains"  # a failing case, and the mistake accounts for what the learner did
    AGREES = "agrees"  # the mistake does what the learner did, but that does not reveal it here
    SILENT = "silent"  # the model cannot be computed here, or the case is outside its reach
    CONTRADICTS = "contradicts"  # the mistake would have done something else here


@dataclass(frozen=True)
class Observation:
    """One case of a run as the judge saw it: what the learner's code did beside what was expected.

    Where the learner's code raised, ``mismatch.kind`` is one of RAISED_KINDS and ``mismatch.data``
    holds ``type``, ``message`` and ``family`` (the built-in classes in its MRO, most specific
    first). A case that expects an exception and got it passes: ``mismatch`` None, ``got`` None.
    """

    case: Case
    got: Any  # the learner's value (None when it raised)
    expected: Any  # the reference's value (None when it raised)
    mismatch: Mismatch | None  # None: the case passed

    @property
    def passed(self) -> bool:
        return self.mismatch is None

    @property
    def raised(self) -> bool:
        """Whether the learner's code raised on this case."""
        if self.mismatch is None:
            return self.case.expect_error is not None
        return self.mismatch.kind in RAISED_KINDS

    def error(self) -> tuple[str, tuple[str, ...], str]:
        """(type, family, message) of what the learner raised; the expected type on a passing error case."""
        if self.mismatch is None:
            name = self.case.expect_error or ""
            return name, (name,), ""
        data = self.mismatch.data
        kind = str(data.get("type", ""))
        family = tuple(str(f) for f in data.get("family", ()) or ()) or (kind,)
        return kind, family, str(data.get("message", ""))


@dataclass(frozen=True)
class Diagnosis:
    id: str  # stable slug, used by mistakes/ files and statistics
    message: str  # what the learner reads
    test: Test | None = None  # a further condition (case, got, expected, mismatch) -> bool
    entry: str | None = None  # only for cases of this entry point
    mistake: Mistake | None = None  # what the mistake computes on this case (raising where it raises)
    part: Callable[[Any], Any] | None = None  # the piece of a returned value the mistake computes
    rules: Tolerance = LOOSE  # how close the learner's value must be to the mistaken one
    specificity: int = KIND
    raises: bool = False  # the model says only where the mistake raises, not what it returns
    same_message: bool = False  # where both raise: the learner's message is the mistake's, word for word
    error: str | None = None  # where the learner raised: the built-in family it must belong to
    contains: str = ""  # where the learner raised: words its message must contain
    message_key: Callable[[str], Any] | None = None  # where both raise: key(learner's) == key(mistake's)

    @property
    def has_model(self) -> bool:
        return self.mistake is not None

    def in_scope(self, case: Case) -> bool:
        return self.entry is None or case.entry == self.entry

    def evidence(self, case: Case, got, expected, mismatch: Mismatch | None) -> float | None:
        """One failing case alone: None when this diagnosis does not fit it; else how far the learner's
        value is from the mistake's. (``name_mistakes`` holds a diagnosis to the whole run.)"""
        if not self.in_scope(case):
            return None
        observation = Observation(case, got, expected, mismatch)
        if self.has_model:
            fit, distance = self.fit(observation)
            return distance if fit is Fit.EXPLAINS else None
        return 0.0 if self.holds(observation) else None

    def applies(self, case: Case, got, expected, mismatch: Mismatch | None) -> bool:
        return self.evidence(case, got, expected, mismatch) is not None

    def holds(self, o: Observation) -> bool:
        """A diagnosis without a model: its test (and error filter) holds on this failing case."""
        if o.passed:
            return False
        try:
            if not self._error_fits(o):
                return False
            return self.test is None or bool(self.test(o.case, o.got, o.expected, o.mismatch))
        except Exception:  # a test that cannot be computed for this case does not hold
            return False

    def _error_fits(self, o: Observation) -> bool:
        if self.error is None and not self.contains:
            return True
        if not o.raised:
            return False
        kind, family, message = o.error()
        return (self.error in (None, kind) or self.error in family) and self.contains.lower() in message.lower()

    def fit(self, o: Observation) -> tuple[Fit, float]:
        """What this diagnosis's model says of one case (see the module docstring), and the distance
        between the learner's value and the mistake's where it explains a failing case."""
        if not self.in_scope(o.case) or o.case.is_timed:  # a timed case's arguments are its repetitions
            return Fit.SILENT, 0.0
        try:
            if self.test is not None and not self.test(o.case, o.got, o.expected, o.mismatch):
                return Fit.SILENT, 0.0
        except Exception:  # out of the test's reach
            return Fit.SILENT, 0.0
        try:
            mistaken = self.mistake(o.case, o.expected)
        except Exception as exc:  # noqa: BLE001 - the mistake raises on this case
            return self._fit_raising(o, exc)
        if o.raised:  # None: the model cannot say here (for a trigger model too)
            if mistaken is None or (o.passed and not self.raises):
                return Fit.SILENT, 0.0  # a value mistake says nothing of the checks that raise as asked
            return Fit.CONTRADICTS, 0.0
        if self.raises:
            return Fit.AGREES, 0.0  # neither raises: a trigger model says nothing of values
        if mistaken is None:
            return Fit.SILENT, 0.0
        try:
            right = self._passes(o, mistaken)
            if o.passed:
                return (Fit.AGREES if right else Fit.CONTRADICTS), 0.0
            got = self.part(o.got) if self.part is not None else o.got  # the mistake computes the part
            distance = _distance(got, mistaken, self.rules)
        except Exception:  # values our comparison cannot hold against the model
            return Fit.SILENT, 0.0
        if distance is None:
            return Fit.CONTRADICTS, 0.0
        return (Fit.AGREES, 0.0) if right else (Fit.EXPLAINS, distance)

    def _fit_raising(self, o: Observation, exc: Exception) -> tuple[Fit, float]:
        if not o.raised:
            return Fit.CONTRADICTS, 0.0  # the mistake raises where the learner's code did not
        if not self._error_fits(o):
            return Fit.CONTRADICTS, 0.0
        if o.passed:
            return Fit.AGREES, 0.0  # the case expects an exception: both raise it
        _, family, message = o.error()
        mistake_family = {c.__name__ for c in type(exc).__mro__} - {"Exception", "BaseException", "object"}
        if not mistake_family & set(family):
            return Fit.CONTRADICTS, 0.0  # another kind of error than the mistake's
        if self.same_message and " ".join(str(exc).split()) != " ".join(message.split()):
            return Fit.CONTRADICTS, 0.0
        if self.message_key is not None and self.message_key(str(exc)) != self.message_key(message):
            return Fit.CONTRADICTS, 0.0
        if not self.raises and self.message_key is None and not self.same_message:
            return Fit.AGREES, 0.0  # a value model raising too: the same trigger, but it names values only
        return Fit.EXPLAINS, 0.0

    def _passes(self, o: Observation, mistaken) -> bool:
        """Whether the mistake's value would pass this case (then the case cannot reveal it)."""
        expected = o.expected
        if o.case.expect_error is not None:
            return False  # a value where an exception is expected
        if self.part is not None:
            expected = self.part(expected) if expected is not None else None
        elif o.case.check is not None and o.case.check(mistaken, expected, o.case) is None:
            return True  # the case's own check accepts it (signs, a free choice of basis)
        return _matches(expected, mistaken, _wider(self.rules, o.case))


def diagnose(
    case: Case, got, expected, mismatch: Mismatch | None, diagnoses, rules: Tolerance | None = None
) -> Diagnosis | None:
    """One failing case on its own (no run to hold the mistake to): the most specific diagnosis that
    fits it, or None. Prefer ``name_mistakes``, which holds each mistake to the whole run."""
    observation = Observation(case, got, expected, mismatch)
    return name_mistakes([observation], diagnoses).get(case.name)


def name_mistakes(observations: Sequence[Observation], diagnoses: Sequence[Diagnosis]) -> dict[str, Diagnosis]:
    """The mistake named on each failing case of one run, by case name (a case absent names none).

    The judge calls this once per run, with every case it could compare (passing ones too): a
    mistake is named only where its model explains the learner's behaviour on every case of its
    scope (see the module docstring). ``diagnoses`` are the exercise-wide ones; each case adds its own.
    """
    observations = list(observations)
    pools: list[tuple[int, Diagnosis, Case | None]] = [(1, d, None) for d in diagnoses]
    for o in observations:
        pools += [(0, d, o.case) for d in o.case.diagnoses]
    candidates: dict[str, list[tuple[tuple, Diagnosis]]] = {}
    for rank, diagnosis, own in pools:
        if not diagnosis.has_model:
            continue
        fits = [(o, *diagnosis.fit(o)) for o in observations]
        if any(fit is Fit.CONTRADICTS for _, fit, _ in fits):
            continue
        for o, fit, distance in fits:
            if fit is Fit.EXPLAINS and (own is None or o.case is own):
                key = (-diagnosis.specificity, rank, distance, diagnosis.id)
                candidates.setdefault(o.case.name, []).append((key, diagnosis))
    explained = set(candidates)
    kinds = [(rank, d, own) for rank, d, own in pools if not d.has_model]
    holds = {id(d): {o.case.name for o in observations if d.in_scope(o.case) and d.holds(o)} for _, d, _ in kinds}
    accounted = explained.union(*holds.values())
    for rank, diagnosis, own in kinds:
        failing = [o for o in observations if not o.passed and diagnosis.in_scope(o.case)]
        if any(o.case.name not in accounted for o in failing):
            continue  # a failure nothing accounts for: say plainly what differs, guess nothing
        for o in failing:
            if o.case.name in holds[id(diagnosis)] - explained and (own is None or o.case is own):
                key = (-diagnosis.specificity, rank, 0.0, diagnosis.id)
                candidates.setdefault(o.case.name, []).append((key, diagnosis))
    return {name: min(found, key=lambda pair: pair[0])[1] for name, found in candidates.items()}


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
    try:
        return compare(got, value, rules) is None
    except ValueError:  # compare cannot hold a finite value against an all-NaN one: they differ
        return False


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
    message_key: Callable[[str], Any] | None = None,
) -> Diagnosis:
    """The learner's value equals ``compute(*args, **kwargs)``, what the mistake gives, and that differs
    from the expected value on this case. ``part`` picks the piece of a returned value (e.g. one item of
    a tuple) that ``compute`` computes. With ``message_key``, where ``compute`` raises the learner's code
    must raise too, an error whose message has the same key: the diagnosis names that case as well."""
    return Diagnosis(
        id,
        message,
        test=test,
        entry=entry,
        mistake=lambda c, e: compute(*c.args, **c.kwargs),
        part=part,
        rules=rules,
        specificity=specificity,
        message_key=message_key,
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
        mistake=lambda c, e: None if e is None else _scale(e, factor(*c.args, **c.kwargs)),
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
        mistake=lambda c, e: np.asarray(e).T if e is not None and np.asarray(e).ndim == 2 else None,
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
    message_key: Callable[[str], Any] | None = None,
) -> Diagnosis:
    """The learner's code raised an exception of the built-in family ``error_type`` (a subclass counts)
    whose message contains ``contains``.

    With ``mistake`` (the mistaken computation, called with the case's arguments), the diagnosis is a
    model of where the mistake raises: it is named only when that computation raises on exactly the
    cases where the learner's code raised, with an error of the same family. ``same_message`` also
    asks for the very message the mistake raises (NumPy's messages name the sizes involved, which
    tells most mistakes apart); ``message_key`` for the same key of both messages (e.g. the kind of
    shape error and the sizes it names)."""
    scope = (lambda c, g, e, m: when_case(c)) if when_case is not None else None
    if mistake is None:
        return Diagnosis(id, message, test=scope, entry=entry, error=error_type, contains=contains, specificity=KIND)
    return Diagnosis(
        id,
        message,
        test=scope,
        entry=entry,
        mistake=lambda c, e: mistake(*c.args, **c.kwargs),
        raises=True,
        same_message=same_message,
        message_key=message_key,
        error=error_type,
        contains=contains,
        specificity=EXCEPTION,
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
