"""Grade one submission: the one function behind `manage.py grade`, the Celery task and the Run button.

Source checks first (size, syntax, forbidden constructs: no container needed),
then the expected outputs (cached reference run for the submission's pool
seed), then one fresh sandbox for the learner's code, then the trusted
verdict: the report is read once into typed records (grader.protocol), every
case is compared, diagnosed and scored here, outside the sandbox, and every
hidden case's feedback is rebuilt from our own words (``hidden_view``).

Configuration is explicit: the caller passes a backend and a store, or
``configure(GraderConfig(...))`` once (the platform builds it from settings).
Nothing here reads the environment.
"""

from __future__ import annotations

import builtins
import logging
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

from grader.backends import Backend, get_backend
from grader.backends.base import RunOutcome, run_job
from grader.cases import Case
from grader.compare import Mismatch, Tolerance, compare
from grader.diagnosis import diagnose
from grader.exercise import ExerciseFolder
from grader.harness.contract import AbortCause, MismatchKind, Phase, split_cause
from grader.harness.gpu_timing import allowed_gap, confirmed_seconds
from grader.jobs import DEFAULT_POOL_SIZE, learner_job, sandbox_kind
from grader.protocol import CaseRecord, ErrorRecord, RecordStatus, Report, ReportError, job_marker, parse_report
from grader.reference import Expected, ExpectedSet, ExpectedStore, ReferenceBroken
from grader.results import VERDICTS, CaseResult, CaseStatus, GradingResult, Verdict
from grader.source_checks import check_syntax, find_forbidden
from grader.timing import (
    CPU_PEAK_BYTES,
    CPU_PEAK_FLOPS,
    GPU_PEAK_BYTES,
    GPU_PEAK_FLOPS,
    Peaks,
    floor_seconds,
    geometric_mean,
    implausible,
    median,
)

log = logging.getLogger(__name__)

ABORT_STATUS = {
    AbortCause.TIME_LIMIT: CaseStatus.TIME_LIMIT,
    AbortCause.MEMORY_LIMIT: CaseStatus.MEMORY_LIMIT,
    AbortCause.OUTPUT_LIMIT: CaseStatus.OUTPUT_LIMIT,
    AbortCause.RESULT_LIMIT: CaseStatus.OUTPUT_LIMIT,
    AbortCause.FILE_SIZE_LIMIT: CaseStatus.OUTPUT_LIMIT,
}
LIMIT_VERDICTS = {
    CaseStatus.TIME_LIMIT: Verdict.TIME_LIMIT,
    CaseStatus.MEMORY_LIMIT: Verdict.MEMORY_LIMIT,
    CaseStatus.OUTPUT_LIMIT: Verdict.OUTPUT_LIMIT,
}
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
INTERFERED = "Your code interfered with the grader's communication channel."
BUILTIN_EXCEPTIONS = frozenset(
    name for name, value in vars(builtins).items() if isinstance(value, type) and issubclass(value, BaseException)
)
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


class InternalGradingError(Exception):
    """Grading failed on our side after retries; the learner is not to blame."""


@dataclass(frozen=True)
class GraderConfig:
    """Everything the grader needs from its host, built once (the platform builds it from settings)."""

    backend: str = "docker"
    image: str | None = None
    stdlib_image: str | None = None
    triton_image: str | None = None
    gpu: bool = False  # a GPU worker: GPU exercises are timed on the device
    runtime: str | None = None  # e.g. "runsc" (gVisor)
    cache_dir: Path | None = None
    pool_size: int = DEFAULT_POOL_SIZE
    pool_secret: str = ""
    cpu_peak_flops: float = CPU_PEAK_FLOPS
    cpu_peak_bytes: float = CPU_PEAK_BYTES
    gpu_peak_flops: float = GPU_PEAK_FLOPS
    gpu_peak_bytes: float = GPU_PEAK_BYTES

    def make_backend(self) -> Backend:
        if self.backend == "docker":
            return get_backend(
                "docker",
                image=self.image,
                stdlib_image=self.stdlib_image,
                triton_image=self.triton_image,
                gpu=self.gpu,
                runtime=self.runtime,
            )
        return get_backend(self.backend)

    def make_store(self) -> ExpectedStore:
        return ExpectedStore(self.cache_dir, pool_size=self.pool_size, pool_secret=self.pool_secret)

    def peaks(self, *, gpu: bool, cpus: float) -> Peaks:
        return Peaks.for_run(
            gpu=gpu,
            cpus=cpus,
            cpu_flops=self.cpu_peak_flops,
            cpu_bytes=self.cpu_peak_bytes,
            gpu_flops=self.gpu_peak_flops,
            gpu_bytes=self.gpu_peak_bytes,
        )


_config = GraderConfig()
_default_store: ExpectedStore | None = None
_lock = threading.Lock()


def configure(config: GraderConfig) -> None:
    """Set the configuration used where a caller passes no backend or store."""
    global _config, _default_store
    with _lock:
        _config, _default_store = config, None


def current_config() -> GraderConfig:
    return _config


def expected_store() -> ExpectedStore:
    global _default_store
    with _lock:
        if _default_store is None:
            _default_store = _config.make_store()
        return _default_store


def grade(
    exercise: ExerciseFolder,
    source: str,
    *,
    backend: Backend | None = None,
    store: ExpectedStore | None = None,
    attempts: int = 2,
    visible_only: bool = False,
    pool_index: int | None = None,
    config: GraderConfig | None = None,
) -> GradingResult:
    """Grade ``source`` against ``exercise``.

    ``visible_only`` runs the visible cases only (the Run button): nothing hidden
    enters the sandbox. ``pool_index`` picks the seed of the hidden cases (drawn
    at random when None). Raises SandboxUnavailable when the infrastructure is
    down (the caller retries later) and InternalGradingError when a run keeps
    failing on our side.
    """
    config = config or _config
    started = time.monotonic()
    early = _check_source(exercise, source)
    if early is not None:
        early.execution_time = time.monotonic() - started
        return early
    backend = backend or config.make_backend()
    store = store or expected_store()
    if visible_only and pool_index is None:
        pool_index = 0  # visible cases are the same for every seed: reuse one cached reference
    try:
        expected = store.get(exercise, backend, pool_index)
    except ReferenceBroken as exc:
        raise InternalGradingError(f"the exercise is broken: {exc}") from exc
    peaks = config.peaks(gpu=exercise.gpu, cpus=exercise.limits.cpus)
    job = learner_job(exercise, expected.packed, source, visible_only=visible_only)
    marker = job_marker(job)
    problem = "unknown"
    for attempt in range(attempts):
        outcome = run_job(
            backend, job, exercise.limits, gpu=exercise.gpu, kind=sandbox_kind(exercise), preload=exercise.modules
        )
        try:
            result = judge(
                exercise,
                expected,
                outcome,
                peaks=peaks,
                visible_only=visible_only,
                marker=marker,
                source_lines=source.count("\n") + 1,
            )
        except ReportError as exc:
            problem = f"unreadable sandbox report: {exc}"
            log.warning("grading %s attempt %d: %s", exercise.slug, attempt + 1, problem)
            continue
        if result is None:
            problem = f"sandbox failed: exit {outcome.exit_code}, {outcome.stderr[-300:].decode(errors='replace')}"
            log.warning("grading %s attempt %d: %s", exercise.slug, attempt + 1, problem)
            continue
        result.execution_time = time.monotonic() - started
        return result
    raise InternalGradingError(problem)


def _early(exercise: ExerciseFolder, verdict: Verdict, message: str) -> GradingResult:
    return GradingResult(
        exercise.slug, exercise.version, verdict, message, 0.0, exercise.points, limits=exercise.limits.as_dict()
    )


def _check_source(exercise: ExerciseFolder, source: str) -> GradingResult | None:
    size = len(source.encode("utf-8", errors="replace"))
    if size > exercise.max_source_bytes:
        return _early(
            exercise,
            Verdict.TOO_LARGE,
            f"Your file is {size // 1024} KiB; the limit is {exercise.max_source_bytes // 1024} KiB.",
        )
    problem = check_syntax(source)
    if problem:
        return _early(exercise, Verdict.SYNTAX_ERROR, f"Syntax error on line {problem.line}: {problem.message}")
    forbidden = find_forbidden(source, exercise.forbidden)
    if forbidden:
        lines = "; ".join(f"line {p.line}: {p.message}" for p in forbidden[:5])
        return _early(exercise, Verdict.FORBIDDEN_CALL, f"Forbidden in this exercise — {lines}")
    return None


def judge(
    exercise: ExerciseFolder,
    expected: ExpectedSet,
    outcome: RunOutcome,
    *,
    peaks: Peaks | None = None,
    visible_only: bool = False,
    marker: str | None = None,
    source_lines: int | None = None,
) -> GradingResult | None:
    """The trusted verdict on one run, or None when the run failed on our side.

    ``marker``: the job's report marker; only what follows it on stdout is our report.
    ``source_lines``: how many lines the submission has (hidden cases name only such a line).
    """
    limits = exercise.limits
    peaks = peaks or _config.peaks(gpu=exercise.gpu, cpus=limits.cpus)
    cases = [(i, c) for i, c in expected.packed.by_id().items() if not visible_only or (c.visible and not c.is_timed)]
    report: Report | None = None
    if outcome.stdout and not outcome.stdout_overflow:
        try:
            report = parse_report(outcome.stdout, limits.result_max_bytes + (8 << 20), marker=marker)
        except ReportError:
            if not (outcome.timed_out or outcome.oom_killed):
                raise
    if report is None:
        for flag, cause in ((outcome.timed_out, AbortCause.TIME_LIMIT), (outcome.oom_killed, AbortCause.MEMORY_LIMIT)):
            if flag:
                return _whole_run(exercise, cases, outcome, cause)
        if outcome.stdout_overflow:
            return _whole_run(exercise, cases, outcome, AbortCause.OUTPUT_LIMIT)
        return None
    if report.harness_errors:
        return None
    result = GradingResult(
        exercise.slug,
        exercise.version,
        Verdict.ACCEPTED,
        "",
        0.0,
        exercise.points,
        backend=outcome.backend,
        unsafe=outcome.unsafe,
        limits=limits.as_dict(),
    )
    result.extra["case_pool"] = expected.pool_index
    visible_phase = report.phases.get(Phase.VISIBLE)
    if visible_phase is not None:
        result.output = visible_phase.output[: limits.output_keep_bytes]
        if visible_phase.output_truncated:
            result.output += f"\n[... {visible_phase.output_bytes} bytes printed in all; the rest is not shown]"
    if report.import_error:
        return _import_failure(result, cases, report.import_error)
    weights = sum(c.points for _, c in cases) or 1.0
    diagnoses = exercise.diagnoses()
    timed_medians = []
    for case_id, case in cases:
        record = report.cases.get(case_id)
        try:
            case_result = _judge_case(case, record, expected.by_id[case_id], exercise, outcome, diagnoses, peaks)
        except Exception as exc:  # noqa: BLE001 - the values came from the learner's process: theirs
            case_result = _unjudgeable(case, exc, exercise.slug)
        case_result.max_score = exercise.points * case.points / weights
        case_result.score = case_result.max_score if case_result.passed else 0.0
        if not case.visible:
            case_result = hidden_view(case_result, source_lines)
        result.cases.append(case_result)
        if case_result.passed and case_result.times:
            timed_medians.append(median(case_result.times))
    result.max_score = sum(c.max_score for c in result.cases) if visible_only else exercise.points
    result.score = sum(c.score for c in result.cases)
    _summarise(result)
    if timed_medians and all(c.passed for c in result.cases if c.times):
        result.leaderboard = [{"name": "time", "value": geometric_mean(timed_medians), "order": "asc"}]
        reference = [median(expected.by_id[i].times) for i, c in cases if c.is_timed and expected.by_id[i].times]
        if reference:
            result.extra["reference_time"] = geometric_mean(reference)
    result.leaderboard.insert(0, {"name": "score", "value": round(result.score, 4), "order": "desc"})
    return result


def _judge_case(
    case: Case,
    record: CaseRecord | None,
    expected: Expected,
    exercise: ExerciseFolder,
    outcome: RunOutcome,
    diagnoses,
    peaks: Peaks,
) -> CaseResult:
    result = CaseResult(
        name=case.name,
        visible=case.visible,
        status=CaseStatus.FAILED,
        score=0.0,
        max_score=0.0,
        explain=case.explain if case.visible else "",
    )
    if record is None:
        cause = AbortCause.TIME_LIMIT if outcome.timed_out else (AbortCause.MEMORY_LIMIT if outcome.oom_killed else "")
        result.status = ABORT_STATUS.get(cause, CaseStatus.CRASHED)
        result.message = exercise.limits.describe(cause) if cause else "No result: the run stopped."
        return result
    if record.status == RecordStatus.ABORTED:
        cause = record.cause
        if cause == AbortCause.KILLED and outcome.oom_killed:
            cause = AbortCause.MEMORY_LIMIT
        result.status = ABORT_STATUS.get(cause, CaseStatus.CRASHED)
        result.message = exercise.limits.describe(cause) if cause in ABORT_STATUS else _crash_message(cause)
        return result
    if record.status == RecordStatus.NOT_RUN:
        result.status = CaseStatus.NOT_RUN
        result.message = {
            AbortCause.TIME_LIMIT: "Not run: the time limit was used up by earlier cases.",
            AbortCause.TOO_MANY_CRASHES: "Not run: the code crashed too many times.",
        }.get(record.cause, "Not run.")
        return result
    if record.status == RecordStatus.INVALID:
        result.status, result.message = CaseStatus.CRASHED, INTERFERED
        return result
    failed = record.failed_call
    if failed is not None and failed.status == RecordStatus.MISSING_ENTRY:
        result.status = CaseStatus.MISSING_ENTRY
        result.message = f"Your file does not define the function {case.entry}()."
        return result
    if failed is not None and failed.status == RecordStatus.UNSUPPORTED:
        result.message, result.reason = f"Your function {failed.message}.", MismatchKind.UNSUPPORTED
        return result
    if failed is not None and failed.status == RecordStatus.RAISED and failed.error is not None:
        return _judge_exception(case, failed.error, expected, result, diagnoses)
    if case.is_timed:
        return _judge_timed(case, record, expected, result, exercise, peaks, diagnoses)
    got = record.calls[0].value
    if case.expect_error:
        mismatch = Mismatch(
            MismatchKind.NO_ERROR, f"Expected {case.expect_error} to be raised, but a value was returned."
        )
        return _fail(result, case, got, expected.value, mismatch, diagnoses)
    mismatch = _mismatch(case, got, expected.value, _rules(case, exercise))
    if mismatch is None:
        result.status, result.message = CaseStatus.PASSED, "Correct."
        return result
    return _fail(result, case, got, expected.value, mismatch, diagnoses)


def _unjudgeable(case: Case, exc: Exception, slug: str) -> CaseResult:
    """A returned value our comparison, check or diagnosis could not handle (an int past every float,
    a tuple where a check wants an array): a wrong answer of the learner's, logged for us to look at."""
    log.warning("%s: case %r could not be judged: %r", slug, case.name, exc, exc_info=True)
    return CaseResult(
        name=case.name,
        visible=case.visible,
        status=CaseStatus.FAILED,
        score=0.0,
        max_score=0.0,
        message=f"Your function returned a value that could not be compared with the expected one "
        f"({type(exc).__name__}).",
        reason=MismatchKind.UNSUPPORTED,
        explain=case.explain if case.visible else "",
    )


def _mismatch(case: Case, got, expected, rules: Tolerance) -> Mismatch | None:
    """The case's own check where it has one (timed repetitions included), else the comparison."""
    if case.check is None:
        return compare(got, expected, rules)
    checked = case.check(got, expected, case)
    return checked if isinstance(checked, Mismatch) or checked is None else Mismatch(MismatchKind.CHECK, checked)


def _rules(case: Case, exercise: ExerciseFolder) -> Tolerance:
    return Tolerance(
        rtol=case.rtol if case.rtol is not None else exercise.rtol,
        atol=case.atol if case.atol is not None else exercise.atol,
        strict_dtype=case.strict_dtype,
        allow_lists=case.allow_lists,
        sign_invariant_axis=case.sign_invariant_axis,
    )


def _judge_exception(case: Case, error: ErrorRecord, expected: Expected, result: CaseResult, diagnoses) -> CaseResult:
    kind, message = error.type, error.message
    result.exception = kind
    result.lines = list(error.lines)
    if error.forbidden:
        result.status, result.message = CaseStatus.FORBIDDEN, f"Forbidden call: {message}"
        return result
    if case.expect_error and expected.status == RecordStatus.RAISED:
        if kind != case.expect_error:
            result.message, result.reason = (
                f"Expected {case.expect_error}, but your code raised {kind}.",
                "wrong-exception",
            )
            result.detail = f"{kind}: {message}"
            return result
        problem = case.error_message_check(message, case) if case.error_message_check else None
        if problem:
            result.message, result.reason = problem, MismatchKind.ERROR_MESSAGE
            result.detail = f"Your message: {message!r}"
            return result
        result.lines = []
        result.status, result.message = CaseStatus.PASSED, f"Correct: raised {kind}."
        return result
    result.status = CaseStatus.ERROR
    result.message = f"Your code raised {kind}: {message}"
    raised = Mismatch(MismatchKind.EXCEPTION, result.message, data={"type": kind, "message": message})
    found = diagnose(case, None, expected.value, raised, diagnoses)
    if found:
        result.diagnosis, result.diagnosis_message = found.id, found.message
    return result


def _judge_timed(
    case: Case,
    record: CaseRecord,
    expected: Expected,
    result: CaseResult,
    exercise: ExerciseFolder,
    peaks: Peaks,
    diagnoses,
) -> CaseResult:
    values = [call.value for call in record.calls]
    times = list(record.times)
    wanted = list(expected.values or (expected.value,))
    if len(values) != len(wanted) or len(times) != len(wanted):
        result.message, result.reason = "The timed run did not report every repetition.", MismatchKind.TIMING_INCOMPLETE
        return result
    rules = _rules(case, exercise)
    for index, (got, exp) in enumerate(zip(values, wanted, strict=True)):
        mismatch = _mismatch(case, got, exp, rules)
        if mismatch:
            _fail(result, case, got, exp, mismatch, diagnoses)
            result.message = f"Repetition {index + 1}: {result.message}"
            return result
    gap = allowed_gap(list(expected.gaps or ()))
    if gap is not None and len(record.device_times) == len(times):  # GPU: events count as far as confirmed
        times = [
            confirmed_seconds(o, d, gap, record.tampered).seconds
            for o, d in zip(times, record.device_times, strict=True)
        ]
    floor = floor_seconds(case.timing.flops, case.timing.bytes_moved, peaks)
    if implausible(times, floor):
        result.reason = MismatchKind.TIMING_REJECTED
        result.message = (
            f"Rejected timing: {min(times) * 1e6:.1f} µs is below the {floor * 1e6:.1f} µs "
            "the hardware needs for this much work."
        )
        return result
    result.status, result.times = CaseStatus.PASSED, times
    result.message = f"Correct; median time {median(times) * 1e3:.3f} ms over {len(times)} runs."
    if expected.times:
        result.detail = f"Reference solution: {median(list(expected.times)) * 1e3:.3f} ms."
    return result


def _fail(result: CaseResult, case: Case, got, expected_value, mismatch: Mismatch, diagnoses) -> CaseResult:
    result.status = CaseStatus.FAILED
    result.message = mismatch.message
    result.detail = mismatch.detail
    result.reason = mismatch.kind
    found = diagnose(case, got, expected_value, mismatch, diagnoses)
    if found:
        result.diagnosis, result.diagnosis_message = found.id, found.message
    return result


def hidden_view(case: CaseResult, source_lines: int | None = None) -> CaseResult:
    """A hidden case's result as the learner may see it, rebuilt from our own words.

    Kept: pass/fail and the case status, the score, the diagnosis (the
    exercise's text), built-in exception class names, the line of the submission
    where it raised, and the times we measured. Dropped: every message, detail and
    name that came from the learner's process or shows an input or expected value.

    Line numbers come from the learner's process too, which may choose them (up to ten
    of them, each up to 10**7) to spell out a hidden input: only the last is kept, and
    only if the submission has that line.
    """
    if case.passed:
        message = case.message if case.times else "Correct."
    elif case.status in (CaseStatus.TIME_LIMIT, CaseStatus.MEMORY_LIMIT, CaseStatus.OUTPUT_LIMIT):
        message = case.message  # Limits.describe: our words and the exercise's numbers
    elif case.status == CaseStatus.ERROR or case.reason == MismatchKind.WRONG_EXCEPTION:
        exception = (
            case.exception if case.exception in BUILTIN_EXCEPTIONS else "an exception of a class your code defined"
        )
        template = (
            HIDDEN_MESSAGES[CaseStatus.ERROR] if case.status == CaseStatus.ERROR else HIDDEN_MISMATCH[case.reason]
        )
        message = template.format(exception=exception)
        if case.status != CaseStatus.ERROR:
            message += f" (it raised {exception})"
    elif case.status == CaseStatus.FAILED:
        message = HIDDEN_MISMATCH.get(case.reason, HIDDEN_MESSAGES[CaseStatus.FAILED])
    else:
        message = HIDDEN_MESSAGES.get(case.status, "Not passed.")
    return replace(
        case,
        message=message,
        detail="",
        explain="",
        lines=[n for n in case.lines[-1:] if type(n) is int and 0 < n <= (source_lines or n)],
        exception=case.exception if case.exception in BUILTIN_EXCEPTIONS else "",
    )


def _crash_message(cause: str) -> str:
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


def _import_failure(result: GradingResult, cases: list[tuple[str, Case]], error: ErrorRecord) -> GradingResult:
    line = f" (line {error.lines[-1]})" if error.lines else ""
    result.verdict = Verdict.IMPORT_ERROR
    result.message = f"Importing your file raised {error.type}{line}: {error.message[:500]}"
    for _, case in cases:
        result.cases.append(
            CaseResult(
                case.name, case.visible, CaseStatus.NOT_RUN, 0.0, 0.0, message="Not run: your file failed to import."
            )
        )
    return result


def _whole_run(
    exercise: ExerciseFolder, cases: list[tuple[str, Case]], outcome: RunOutcome, cause: str
) -> GradingResult:
    message = exercise.limits.describe(cause)
    verdict = Verdict(cause)
    result = GradingResult(
        exercise.slug,
        exercise.version,
        verdict,
        f"{VERDICTS[verdict]} ({message})",
        0.0,
        exercise.points,
        backend=outcome.backend,
        unsafe=outcome.unsafe,
        limits=exercise.limits.as_dict(),
        limit_hit=cause,
    )
    for _, case in cases:
        result.cases.append(CaseResult(case.name, case.visible, CaseStatus(cause), 0.0, 0.0, message=message))
    return result


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def _summarise(result: GradingResult) -> None:
    statuses = {c.status for c in result.cases}
    if statuses == {CaseStatus.PASSED}:
        result.verdict, result.message = Verdict.ACCEPTED, f"All {len(result.cases)} cases pass."
        return
    for status, verdict in VERDICT_ORDER:
        if status in statuses:
            result.verdict = verdict
            break
    passed = sum(c.passed for c in result.cases)
    total = len(result.cases)
    if result.verdict in LIMIT_VERDICTS.values():
        result.limit_hit = str(result.verdict)
        first = next(c for c in result.cases if LIMIT_VERDICTS.get(c.status) == result.verdict)
        result.message = f"{_sentence(first.message)} {passed} of {total} cases pass."
    elif result.verdict == Verdict.RUNTIME_ERROR:
        first = next(c for c in result.cases if c.status in (CaseStatus.ERROR, CaseStatus.CRASHED))
        index = result.cases.index(first) + 1
        what = _sentence(first.message)
        result.message = f"Exception in case {index} ({first.name}): {what} {passed} of {total} pass."
    else:
        first = next(c for c in result.cases if not c.passed)
        index = result.cases.index(first) + 1
        result.message = f"{passed} of {total} cases pass; first failure: case {index} ({first.name}): {first.message}"
    diagnosed = [c for c in result.cases if c.diagnosis]
    if diagnosed:  # the mistake named most often is the headline
        counts = {d: sum(c.diagnosis == d for c in diagnosed) for d in dict.fromkeys(c.diagnosis for c in diagnosed)}
        top = next(c for c in diagnosed if c.diagnosis == max(counts, key=counts.get))
        result.message += f" Likely mistake: {top.diagnosis_message}"
