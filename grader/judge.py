"""The judge: the one place that turns what a learner's code did into a verdict.

Pure functions over typed records, no I/O, no environment, no configuration read:

- ``judge(exercise, expected, report, ...)`` judges one sandbox run (a validated
  ``grader.protocol.Report``, or None where the run left none) into a ``GradingResult``;
- ``judge_case(case, record, expected, rules=...)`` judges one case; an in-process run
  (the soundness proof, the CLI's offline test) builds the same ``CaseRecord`` the
  sandbox report gives (``grader.in_process``) and meets the same rules;
- ``tolerance(case, ...)`` is the one rule of which tolerance a case is compared with.

Every case that could be compared (passing ones too) becomes an ``Observation``; the
mistakes are named once per run, by ``grader.diagnosis.name_mistakes``, so that a mistake
can be held to the whole run. The words live in grader/feedback.py.

An expected exception is matched by class hierarchy (the record's ``family``: its built-in
ancestors), not by name: a ValueError subclass passes a case that expects ValueError.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

from grader import feedback
from grader.cases import Case
from grader.compare import Mismatch, Tolerance, compare
from grader.diagnosis import Observation, name_mistakes
from grader.exercise import ExerciseFolder
from grader.harness.contract import AbortCause, MismatchKind, Phase
from grader.harness.gpu_timing import allowed_gap, confirmed_seconds
from grader.limits import Limits
from grader.protocol import CaseRecord, ErrorRecord, RecordStatus, Report
from grader.reference import Expected, ExpectedSet
from grader.results import VERDICTS, CaseResult, CaseStatus, GradingResult, Verdict
from grader.timing import Peaks, floor_seconds, geometric_mean, implausible, median

log = logging.getLogger(__name__)

ABORT_STATUS = {
    AbortCause.TIME_LIMIT: CaseStatus.TIME_LIMIT,
    AbortCause.MEMORY_LIMIT: CaseStatus.MEMORY_LIMIT,
    AbortCause.OUTPUT_LIMIT: CaseStatus.OUTPUT_LIMIT,
    AbortCause.RESULT_LIMIT: CaseStatus.OUTPUT_LIMIT,
    AbortCause.FILE_SIZE_LIMIT: CaseStatus.OUTPUT_LIMIT,
}
LIMIT_VERDICTS = frozenset({Verdict.TIME_LIMIT, Verdict.MEMORY_LIMIT, Verdict.OUTPUT_LIMIT})
VERDICT_ORDER = [  # the run's verdict is the most serious case status present
    (CaseStatus.TIME_LIMIT, Verdict.TIME_LIMIT),
    (CaseStatus.MEMORY_LIMIT, Verdict.MEMORY_LIMIT),
    (CaseStatus.OUTPUT_LIMIT, Verdict.OUTPUT_LIMIT),
    (CaseStatus.FORBIDDEN, Verdict.FORBIDDEN_CALL),
    (CaseStatus.MISSING_ENTRY, Verdict.MISSING_ENTRY_POINT),
    (CaseStatus.CRASHED, Verdict.RUNTIME_ERROR),
    (CaseStatus.ERROR, Verdict.RUNTIME_ERROR),
    (CaseStatus.FAILED, Verdict.WRONG_ANSWER),
    (CaseStatus.NOT_RUN, Verdict.WRONG_ANSWER),
]


@dataclass(frozen=True)
class RunEnd:
    """How a sandbox run ended, as the backend saw it from outside (our facts, not the learner's)."""

    timed_out: bool = False
    oom_killed: bool = False
    stdout_overflow: bool = False
    backend: str = ""
    unsafe: bool = False


@dataclass
class Judged:
    """One case judged: its result and, where it could be compared, what the diagnoses look at."""

    result: CaseResult
    observation: Observation | None = None


def tolerance(case: Case, rtol: float = 1e-6, atol: float = 1e-8) -> Tolerance:
    """The rules a case is compared by: its own tolerance, else the exercise's (``rtol``, ``atol``)."""
    return Tolerance(
        rtol=case.rtol if case.rtol is not None else rtol,
        atol=case.atol if case.atol is not None else atol,
        strict_dtype=case.strict_dtype,
        allow_lists=case.allow_lists,
        sign_invariant_axis=case.sign_invariant_axis,
    )


def raised_as(error: ErrorRecord, expected: str) -> bool:
    """Whether an exception is of the class a case expects, by hierarchy (a subclass counts)."""
    return error.type == expected or expected in error.family


def mismatch_of(case: Case, got, expected, rules: Tolerance) -> Mismatch | None:
    """The case's own check where it has one (timed repetitions included), else the comparison."""
    if case.check is None:
        return compare(got, expected, rules)
    checked = case.check(got, expected, case)
    return checked if isinstance(checked, Mismatch) or checked is None else Mismatch(MismatchKind.CHECK, checked)


def judge(
    exercise: ExerciseFolder,
    expected: ExpectedSet,
    report: Report | None,
    *,
    end: RunEnd = RunEnd(),
    peaks: Peaks | None = None,
    visible_only: bool = False,
) -> GradingResult | None:
    """The verdict on one run, or None when the run failed on our side (the caller retries).

    ``report``: the run's validated report, None where it left none (then the run's end says why).
    ``peaks``: the hardware's peak rates for the timing floor (the exercise's defaults if None).
    """
    limits = exercise.limits
    peaks = peaks or Peaks.for_run(gpu=exercise.gpu, cpus=limits.cpus)
    cases = [(i, c) for i, c in expected.packed.by_id().items() if not visible_only or (c.visible and not c.is_timed)]
    if report is None:
        for flag, cause in ((end.timed_out, AbortCause.TIME_LIMIT), (end.oom_killed, AbortCause.MEMORY_LIMIT)):
            if flag:
                return _whole_run(exercise, cases, end, cause)
        if end.stdout_overflow:
            return _whole_run(exercise, cases, end, AbortCause.OUTPUT_LIMIT)
        return None
    if report.harness_errors:
        return None
    result = _empty_result(exercise, end)
    visible_phase = report.phases.get(Phase.VISIBLE)
    if visible_phase is not None:
        result.output = visible_phase.output[: limits.output_keep_bytes]
        if visible_phase.output_truncated:
            result.output += f"\n[... {visible_phase.output_bytes} bytes printed in all; the rest is not shown]"
    if report.import_error:
        return _import_failure(result, cases, report.import_error)
    judged = [
        (
            case,
            judge_case(
                case,
                report.cases.get(case_id),
                expected.by_id[case_id],
                rules=tolerance(case, exercise.rtol, exercise.atol),
                limits=limits,
                end=end,
                peaks=peaks,
                slug=exercise.slug,
            ),
        )
        for case_id, case in cases
    ]
    name_run_mistakes([j for _, j in judged], exercise.diagnoses(), slug=exercise.slug)
    weights = sum(c.points for _, c in cases) or 1.0
    for case, one in judged:
        case_result = one.result
        case_result.max_score = exercise.points * case.points / weights
        case_result.score = case_result.max_score if case_result.passed else 0.0
        result.cases.append(case_result if case.visible else feedback.hidden_view(case_result))
    result.max_score = sum(c.max_score for c in result.cases) if visible_only else exercise.points
    result.score = sum(c.score for c in result.cases)
    result.verdict = verdict_of(result.cases)
    if result.verdict in LIMIT_VERDICTS:
        result.limit_hit = str(result.verdict)
    result.message = feedback.summary(result, LIMIT_VERDICTS)
    timed_medians = [median(c.times) for c in result.cases if c.passed and c.times]
    if timed_medians and all(c.passed for c in result.cases if c.times):
        result.leaderboard = [{"name": "time", "value": geometric_mean(timed_medians), "order": "asc"}]
        reference = [median(expected.by_id[i].times) for i, c in cases if c.is_timed and expected.by_id[i].times]
        if reference:
            result.extra["reference_time"] = geometric_mean(reference)
    result.leaderboard.insert(0, {"name": "score", "value": round(result.score, 4), "order": "desc"})
    return result


def verdict_of(cases: Sequence[CaseResult]) -> Verdict:
    """The run's verdict: accepted when every case passes, else the most serious case status present."""
    statuses = {c.status for c in cases}
    if statuses <= {CaseStatus.PASSED}:
        return Verdict.ACCEPTED
    return next(verdict for status, verdict in VERDICT_ORDER if status in statuses)


def name_run_mistakes(judged: Sequence[Judged], diagnoses, *, slug: str = "") -> None:
    """Ask ``name_mistakes`` once for the whole run and set each failing case's diagnosis from its answer."""
    observations = [j.observation for j in judged if j.observation is not None]
    if not any(o.mismatch is not None for o in observations):
        return
    try:
        named = name_mistakes(observations, list(diagnoses))
    except Exception:  # noqa: BLE001 - the values came from the learner's process: name no mistake
        log.warning("%s: naming the mistakes failed", slug, exc_info=True)
        return
    for one in judged:
        found = named.get(one.result.name)
        if found is not None and one.observation is not None and not one.result.passed:
            one.result.diagnosis, one.result.diagnosis_message = found.id, found.message


def judge_case(
    case: Case,
    record: CaseRecord | None,
    expected: Expected,
    *,
    rules: Tolerance,
    limits: Limits | None = None,
    end: RunEnd = RunEnd(),
    peaks: Peaks | None = None,
    slug: str = "",
) -> Judged:
    """One case's result (with no diagnosis yet: ``name_run_mistakes`` names them over the run)."""
    try:
        return _judge_case(case, record, expected, rules, limits or Limits(), end, peaks)
    except Exception as exc:  # noqa: BLE001 - the values came from the learner's process: theirs
        log.warning("%s: case %r could not be judged: %r", slug, case.name, exc, exc_info=True)
        result = _new(case)
        result.message, result.reason = feedback.unjudgeable_message(exc), MismatchKind.UNSUPPORTED
        return Judged(result)


def _new(case: Case) -> CaseResult:
    return CaseResult(
        name=case.name,
        visible=case.visible,
        status=CaseStatus.FAILED,
        score=0.0,
        max_score=0.0,
        explain=case.explain if case.visible else "",
    )


def _judge_case(
    case: Case,
    record: CaseRecord | None,
    expected: Expected,
    rules: Tolerance,
    limits: Limits,
    end: RunEnd,
    peaks: Peaks | None,
) -> Judged:
    result = _new(case)
    if record is None:
        cause = AbortCause.TIME_LIMIT if end.timed_out else (AbortCause.MEMORY_LIMIT if end.oom_killed else "")
        result.status = ABORT_STATUS.get(cause, CaseStatus.CRASHED)
        result.message = limits.describe(cause) if cause else feedback.NO_RESULT
        return Judged(result)
    if record.status == RecordStatus.ABORTED:
        cause = record.cause
        if cause == AbortCause.KILLED and end.oom_killed:
            cause = AbortCause.MEMORY_LIMIT
        result.status = ABORT_STATUS.get(cause, CaseStatus.CRASHED)
        result.message = limits.describe(cause) if cause in ABORT_STATUS else feedback.crash_message(cause)
        return Judged(result)
    if record.status == RecordStatus.NOT_RUN:
        result.status, result.message = CaseStatus.NOT_RUN, feedback.NOT_RUN.get(record.cause, "Not run.")
        return Judged(result)
    if record.status == RecordStatus.INVALID:
        result.status, result.message = CaseStatus.CRASHED, feedback.INTERFERED
        return Judged(result)
    failed = record.failed_call
    if failed is not None and failed.status == RecordStatus.MISSING_ENTRY:
        result.status = CaseStatus.MISSING_ENTRY
        result.message = f"Your file does not define the function {case.entry}()."
        return Judged(result)
    if failed is not None and failed.status == RecordStatus.UNSUPPORTED:
        result.message, result.reason = f"Your function {failed.message}.", MismatchKind.UNSUPPORTED
        return Judged(result)
    if failed is not None and failed.status == RecordStatus.RAISED and failed.error is not None:
        return _judge_exception(case, failed.error, expected, result)
    if case.is_timed:
        return _judge_timed(case, record, expected, result, rules, peaks)
    got = record.calls[0].value
    if case.expect_error:
        mismatch = Mismatch(
            MismatchKind.NO_ERROR, f"Expected {case.expect_error} to be raised, but a value was returned."
        )
        return _fail(result, case, got, None, mismatch)
    mismatch = mismatch_of(case, got, expected.value, rules)
    if mismatch is None:
        result.status, result.message = CaseStatus.PASSED, "Correct."
        return Judged(result, Observation(case, got, expected.value, None))
    return _fail(result, case, got, expected.value, mismatch)


def _judge_exception(case: Case, error: ErrorRecord, expected: Expected, result: CaseResult) -> Judged:
    kind, message = error.type, error.message
    result.exception, result.exception_family = kind, tuple(error.family)
    result.lines = list(error.lines)
    if error.forbidden:
        result.status, result.message = CaseStatus.FORBIDDEN, f"Forbidden call: {message}"
        return Judged(result)
    raised = Mismatch(
        MismatchKind.EXCEPTION,
        f"Your code raised {kind}: {message}",
        data={"type": kind, "message": message, "family": tuple(error.family)},
    )
    if case.expect_error and expected.status == RecordStatus.RAISED:
        if not raised_as(error, case.expect_error):
            result.message = f"Expected {case.expect_error}, but your code raised {kind}."
            result.reason, result.detail = MismatchKind.WRONG_EXCEPTION, f"{kind}: {message}"
            wrong = replace(raised, kind=MismatchKind.WRONG_EXCEPTION, message=result.message)
            return Judged(result, Observation(case, None, None, wrong))
        problem = case.error_message_check(message, case) if case.error_message_check else None
        if problem:
            result.message, result.reason = problem, MismatchKind.ERROR_MESSAGE
            result.detail = f"Your message: {message!r}"
            return Judged(result, Observation(case, None, None, replace(raised, kind=MismatchKind.ERROR_MESSAGE)))
        result.lines = []
        result.status, result.message = CaseStatus.PASSED, f"Correct: raised {kind}."
        return Judged(result, Observation(case, None, None, None))
    result.status, result.message = CaseStatus.ERROR, raised.message
    return Judged(result, Observation(case, None, expected.value, raised))


def _judge_timed(
    case: Case, record: CaseRecord, expected: Expected, result: CaseResult, rules: Tolerance, peaks: Peaks | None
) -> Judged:
    values = [call.value for call in record.calls]
    times = list(record.times)
    wanted = list(expected.values or (expected.value,))
    if len(values) != len(wanted) or len(times) != len(wanted):
        result.message = feedback.HIDDEN_MISMATCH[MismatchKind.TIMING_INCOMPLETE]
        result.reason = MismatchKind.TIMING_INCOMPLETE
        return Judged(result)
    arg_sets = list(case.timing.arg_sets) if case.timing else []
    for index, (got, exp) in enumerate(zip(values, wanted, strict=True)):
        mismatch = mismatch_of(case, got, exp, rules)
        if mismatch:
            # the diagnoses recompute the mistake from this repetition's own arguments
            repetition = replace(case, args=tuple(arg_sets[index])) if index < len(arg_sets) else case
            judged = _fail(result, repetition, got, exp, mismatch)
            result.message = f"Repetition {index + 1}: {result.message}"
            return judged
    gap = allowed_gap(list(expected.gaps or ()))
    if gap is not None and len(record.device_times) == len(times):  # GPU: events count as far as confirmed
        times = [
            confirmed_seconds(o, d, gap, record.tampered).seconds
            for o, d in zip(times, record.device_times, strict=True)
        ]
    floor = floor_seconds(case.timing.flops, case.timing.bytes_moved, peaks) if peaks and case.timing else 0.0
    if implausible(times, floor):
        result.reason = MismatchKind.TIMING_REJECTED
        result.message = feedback.rejected_timing_message(min(times), floor)
        return Judged(result)
    result.status, result.times = CaseStatus.PASSED, times
    result.message = feedback.timed_message(median(times), len(times))
    if expected.times:
        result.detail = f"Reference solution: {median(list(expected.times)) * 1e3:.3f} ms."
    return Judged(result)


def _fail(result: CaseResult, case: Case, got, expected_value, mismatch: Mismatch) -> Judged:
    result.status = CaseStatus.FAILED
    result.message = mismatch.message
    result.detail = mismatch.detail
    result.reason = mismatch.kind
    return Judged(result, Observation(case, got, expected_value, mismatch))


def _empty_result(exercise: ExerciseFolder, end: RunEnd) -> GradingResult:
    return GradingResult(
        exercise.slug,
        exercise.version,
        Verdict.ACCEPTED,
        "",
        0.0,
        exercise.points,
        backend=end.backend,
        unsafe=end.unsafe,
        limits=exercise.limits.as_dict(),
    )


def _import_failure(result: GradingResult, cases: list[tuple[str, Case]], error: ErrorRecord) -> GradingResult:
    result.verdict = Verdict.IMPORT_ERROR
    result.message = feedback.import_failure_message(error.type, error.message, error.lines)
    for _, case in cases:
        result.cases.append(
            CaseResult(case.name, case.visible, CaseStatus.NOT_RUN, 0.0, 0.0, message=feedback.NOT_IMPORTED)
        )
    return result


def _whole_run(exercise: ExerciseFolder, cases: list[tuple[str, Case]], end: RunEnd, cause: str) -> GradingResult:
    message = exercise.limits.describe(cause)
    verdict = Verdict(cause)
    result = _empty_result(exercise, end)
    result.verdict, result.message, result.limit_hit = verdict, f"{VERDICTS[verdict]} ({message})", cause
    for _, case in cases:
        result.cases.append(CaseResult(case.name, case.visible, CaseStatus(cause), 0.0, 0.0, message=message))
    return result
