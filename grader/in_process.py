"""A call run in this process, recorded as the sandbox records it, so that the one judge can judge it.

The soundness proof (trusted files: solution.py, mistakes/) and the CLI's offline test (the
learner's own file, in the learner's own Python) call functions here rather than in a sandbox.
What they get back is the same typed record a sandbox report gives (``grader.protocol``): a
returned value makes the same encode/rebuild round trip, an exception becomes an
``ErrorRecord`` with its built-in family. Then ``grader.judge`` decides, as for a submission.
"""

from __future__ import annotations

import builtins
import io
from collections.abc import Callable

import numpy as np

from grader.harness import codec
from grader.protocol import CallRecord, CaseRecord, ErrorRecord, RecordStatus
from grader.reference import Expected
from grader.values import rebuild

MAX_MESSAGE = 2_000


def error_record(exc: BaseException) -> ErrorRecord:
    """An exception as the sandbox's runner describes it: type, message and built-in family."""
    family = tuple(c.__name__ for c in type(exc).__mro__ if getattr(builtins, c.__name__, None) is c)[:16]
    try:
        message = str(exc)
    except Exception:  # a __str__ of the learner's may itself fail
        message = "<message could not be read>"
    return ErrorRecord(type(exc).__name__[:100], message[:MAX_MESSAGE], False, (), family)


def as_judged(value, torch=None):
    """A returned value as the judge sees a sandbox's: encoded as the runner does, then rebuilt.

    Raises codec.EncodeError for a value that cannot travel (a generator, an object)."""
    codec.load_numpy()  # the harness imports NumPy only for jobs that need it; here it is always there
    encoder = codec.Encoder(prefix="v", torch=torch)
    tree = encoder.encode(value)
    arrays = {name: np.load(io.BytesIO(b"".join(parts)), allow_pickle=False) for name, parts in encoder.blobs.items()}
    return rebuild(tree, arrays)


def call(function: Callable | None, args: tuple, kwargs: dict, torch=None) -> CaseRecord:
    """Call ``function`` once and record what it did (``None``: the entry point is missing)."""
    if not callable(function):
        return _one(CallRecord(RecordStatus.MISSING_ENTRY))
    try:
        value = function(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - what it raised is the outcome
        return raised(exc)
    return returned(value, torch)


def returned(value, torch=None) -> CaseRecord:
    """The record of a call that returned ``value`` (UNSUPPORTED where the value cannot travel)."""
    try:
        return _one(CallRecord(RecordStatus.RETURNED, value=as_judged(value, torch)))
    except codec.EncodeError as exc:
        return _one(CallRecord(RecordStatus.UNSUPPORTED, message=str(exc)[:300]))


def raised(exc: BaseException) -> CaseRecord:
    """The record of a call that raised ``exc``."""
    return _one(CallRecord(RecordStatus.RAISED, error=error_record(exc)))


def expected_from(record: CaseRecord) -> Expected | None:
    """What the reference did, as the judge expects it; None where it neither returned nor raised."""
    first = record.first
    if first is None:
        return None
    if first.status == RecordStatus.RETURNED:
        return Expected(RecordStatus.RETURNED, value=first.value)
    if first.status == RecordStatus.RAISED and first.error is not None:
        return Expected(RecordStatus.RAISED, error_type=first.error.type, error_message=first.error.message)
    return None


def _one(record: CallRecord) -> CaseRecord:
    return CaseRecord(record.status, calls=(record,))
