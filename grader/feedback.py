"""The words of a verdict: what a learner reads about each case and about the whole run.

The judge (grader/judge.py) decides; this module only says. Two kinds of case:

- a **visible** case says everything: what differed, the numbers, the learner's own
  exception text and the lines it was raised at;
- a **hidden** case says pass or fail, the kind of failure in our own fixed words, the
  diagnosis (the exercise's text) and nothing the learner's code chose: no line number,
  no exception class beyond a small fixed set of families (``EXCEPTION_FAMILIES``), no
  message, no detail. A submission that encodes a hidden input in where it raises, or in
  which class it raises, reads back the same words whatever the input was.
"""

from __future__ import annotations

import builtins
from dataclasses import replace

from grader.harness.contract import AbortCause, MismatchKind, split_cause
from grader.results import CaseResult, CaseStatus, GradingResult, Verdict

INTERFERED = "Your code interfered with the grader's communication channel."
BUILTIN_EXCEPTIONS = frozenset(
    name for name, value in vars(builtins).items() if isinstance(value, type) and issubclass(value, BaseException)
)
# What a hidden case may say of an exception: one of these, found by the built-in class it derives from.
EXCEPTION_FAMILIES = {
    "ValueError": "a ValueError",
    "ArithmeticError": "an arithmetic error",
    "LookupError": "an index or key error",
    "TypeError": "a type error",
}
OTHER_EXCEPTION = "another exception"
# What a hidden case may say, by status and by kind of mismatch: our words only.
HIDDEN_MESSAGES = {
    CaseStatus.FAILED: "Wrong answer.",
    CaseStatus.ERROR: "Your code raised {exception}.",
    CaseStatus.FORBIDDEN: "Your code used something this exercise forbids.",
    CaseStatus.MISSING_ENTRY: "Your file does not define the function this case calls.",
    CaseStatus.CRASHED: "Your code crashed or interfered with the grader.",
    CaseStatus.NOT_RUN: "Not run.",
}
HIDDEN_MISMATCH = {
    MismatchKind.TYPE: "Wrong answer: the result is not of the expected kind.",
    MismatchKind.LENGTH: "Wrong answer: the result has the wrong number of parts.",
    MismatchKind.SHAPE: "Wrong answer: the result has the wrong shape.",
    MismatchKind.DTYPE: "Wrong answer: the result has the wrong dtype.",
    MismatchKind.DEVICE: "Wrong answer: the result is on the wrong device.",
    MismatchKind.NONFINITE: "Wrong answer: the result holds NaN or infinite values where it should not.",
    MismatchKind.VALUES: "Wrong answer: some values are wrong.",
    MismatchKind.NO_ERROR: "Wrong answer: an exception was expected, but a value was returned.",
    MismatchKind.WRONG_EXCEPTION: "Wrong answer: your code raised a different exception than expected.",
    MismatchKind.ERROR_MESSAGE: "Wrong answer: the exception's message does not say what it should.",
    MismatchKind.TIMING_REJECTED: "Rejected timing: faster than the hardware can do this much work.",
    MismatchKind.TIMING_INCOMPLETE: "The timed run did not report every repetition.",
    MismatchKind.UNSUPPORTED: "Your function returned a value that cannot be compared (return numbers).",
}
NOT_RUN = {
    AbortCause.TIME_LIMIT: "Not run: the time limit was used up by earlier cases.",
    AbortCause.TOO_MANY_CRASHES: "Not run: the code crashed too many times.",
}
NO_RESULT = "No result: the run stopped."
NOT_IMPORTED = "Not run: your file failed to import."
LIMIT_STATUSES = (CaseStatus.TIME_LIMIT, CaseStatus.MEMORY_LIMIT, CaseStatus.OUTPUT_LIMIT)


def exception_family(family: tuple[str, ...] | list[str], type_name: str = "") -> str:
    """The words a hidden case may use for an exception: one of a fixed few, never the class itself.

    ``family``: the built-in classes the exception derives from, most specific first (from the
    learner's process: untrusted, but only these fixed phrases can come out of it)."""
    if not family and type_name in BUILTIN_EXCEPTIONS:  # a report from before families: the class is ours
        family = [c.__name__ for c in getattr(builtins, type_name).__mro__]
    names = tuple(family)
    for name in names:
        if name in EXCEPTION_FAMILIES:
            return EXCEPTION_FAMILIES[name]
    return OTHER_EXCEPTION


def hidden_view(case: CaseResult) -> CaseResult:
    """A hidden case's result as the learner may see it, rebuilt from our own words.

    Kept: pass/fail and the case status, the score, the diagnosis (the exercise's text), the
    family of an exception (``exception_family``) and the times we measured. Dropped: every
    message, detail, line number and class name that came from the learner's process or shows
    an input or an expected value.
    """
    family = exception_family(case.exception_family, case.exception) if case.exception else OTHER_EXCEPTION
    if case.passed:
        message = case.message if case.times else "Correct."
    elif case.status in LIMIT_STATUSES:
        message = case.message  # Limits.describe: our words and the exercise's numbers
    elif case.status == CaseStatus.ERROR:
        message = HIDDEN_MESSAGES[CaseStatus.ERROR].format(exception=family)
    elif case.reason == MismatchKind.WRONG_EXCEPTION:
        message = f"{HIDDEN_MISMATCH[MismatchKind.WRONG_EXCEPTION]} (it raised {family})"
    elif case.status == CaseStatus.FAILED:
        message = HIDDEN_MISMATCH.get(case.reason, HIDDEN_MESSAGES[CaseStatus.FAILED])
    else:
        message = HIDDEN_MESSAGES.get(case.status, "Not passed.")
    return replace(case, message=message, detail="", explain="", lines=[], exception="", exception_family=())


def crash_message(cause: str) -> str:
    kind, detail = split_cause(cause)
    if kind == AbortCause.SIGNALLED:
        return f"Your code crashed ({detail})."
    if kind == AbortCause.EXITED:
        return f"Your code ended the process (exit status {detail}); return values instead of exiting."
    if cause == AbortCause.KILLED:
        return "Your code was killed (it may have used too much memory)."
    if cause == AbortCause.PROTOCOL:
        return INTERFERED
    return "Your code stopped unexpectedly."


def import_failure_message(type_name: str, message: str, lines: tuple[int, ...]) -> str:
    line = f" (line {lines[-1]})" if lines else ""
    return f"Importing your file raised {type_name}{line}: {message[:500]}"


def unjudgeable_message(exc: Exception) -> str:
    return f"Your function returned a value that could not be compared with the expected one ({type(exc).__name__})."


def timed_message(median_s: float, runs: int) -> str:
    return f"Correct; median time {median_s * 1e3:.3f} ms over {runs} runs."


def rejected_timing_message(fastest_s: float, floor_s: float) -> str:
    return (
        f"Rejected timing: {fastest_s * 1e6:.1f} µs is below the {floor_s * 1e6:.1f} µs "
        "the hardware needs for this much work."
    )


def sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def summary(result: GradingResult, limit_verdicts: frozenset[Verdict]) -> str:
    """The run's headline, once the judge has set its verdict and every case."""
    cases = result.cases
    passed, total = sum(c.passed for c in cases), len(cases)
    if result.verdict == Verdict.ACCEPTED:
        message = f"All {total} cases pass."
    elif result.verdict in limit_verdicts:
        first = next(c for c in cases if str(c.status) == str(result.verdict))
        message = f"{sentence(first.message)} {passed} of {total} cases pass."
    elif result.verdict == Verdict.RUNTIME_ERROR:
        first = next(c for c in cases if c.status in (CaseStatus.ERROR, CaseStatus.CRASHED))
        index = cases.index(first) + 1
        message = f"Exception in case {index} ({first.name}): {sentence(first.message)} {passed} of {total} pass."
    else:
        first = next(c for c in cases if not c.passed)
        index = cases.index(first) + 1
        message = f"{passed} of {total} cases pass; first failure: case {index} ({first.name}): {first.message}"
    diagnosed = [c for c in cases if c.diagnosis]
    if diagnosed and result.verdict != Verdict.ACCEPTED:  # the mistake named most often is the headline
        counts = {d: sum(c.diagnosis == d for c in diagnosed) for d in dict.fromkeys(c.diagnosis for c in diagnosed)}
        top = next(c for c in diagnosed if c.diagnosis == max(counts, key=counts.get))
        message += f" Likely mistake: {top.diagnosis_message}"
    return message
