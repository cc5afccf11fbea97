"""Grade one submission: the one function behind `manage.py grade` and the Celery task.

Source checks first (size, syntax, forbidden constructs: no container needed),
then the expected outputs (cached reference run), then one fresh sandbox for
the learner's code, then the trusted verdict: every case compared, diagnosed
and scored here, outside the sandbox.
"""

from __future__ import annotations

import logging
import time

from grader.backends import Backend, get_backend
from grader.backends.base import RunOutcome, run_job
from grader.cases import Case
from grader.compare import Mismatch, Rules, compare
from grader.diagnosis import diagnose
from grader.exercise import Exercise
from grader.jobs import VISIBLE, learner_job
from grader.protocol import Report, ReportError, parse_report
from grader.reference import Expected, ExpectedSet, ExpectedStore, ReferenceBroken
from grader.results import VERDICTS, CaseResult, GradingResult
from grader.source_checks import check_syntax, find_forbidden
from grader.timing import Peaks, floor_seconds, geometric_mean, implausible, median
from grader.values import BadValue, rebuild

log = logging.getLogger(__name__)

_default_store: ExpectedStore | None = None

ABORT_STATUS = {
    "time_limit": "time_limit",
    "memory_limit": "memory_limit",
    "output_limit": "output_limit",
    "result_limit": "output_limit",
    "file_size_limit": "output_limit",
}
VERDICT_ORDER = [  # the run's verdict is the most serious case status present
    ("time_limit", "time_limit"),
    ("memory_limit", "memory_limit"),
    ("output_limit", "output_limit"),
    ("forbidden", "forbidden_call"),
    ("missing_entry", "missing_entry_point"),
    ("crashed", "runtime_error"),
    ("error", "runtime_error"),
    ("failed", "wrong_answer"),
    ("not_run", "wrong_answer"),
]


class InternalGradingError(Exception):
    """Grading failed on our side after retries; the learner is not to blame."""


def expected_store() -> ExpectedStore:
    global _default_store
    if _default_store is None:
        _default_store = ExpectedStore()
    return _default_store


def grade(
    exercise: Exercise,
    source: str,
    *,
    backend: Backend | None = None,
    store: ExpectedStore | None = None,
    attempts: int = 2,
) -> GradingResult:
    """Grade ``source`` against ``exercise``.

    Raises SandboxUnavailable when the infrastructure is down (the caller retries
    later) and InternalGradingError when a run keeps failing on our side.
    """
    started = time.monotonic()
    early = _check_source(exercise, source)
    if early is not None:
        early.execution_time = time.monotonic() - started
        return early
    backend = backend or get_backend()
    store = store or expected_store()
    try:
        expected = store.get(exercise, backend)
    except ReferenceBroken as exc:
        raise InternalGradingError(f"the exercise is broken: {exc}") from exc
    problem = "unknown"
    for attempt in range(attempts):
        outcome = run_job(backend, learner_job(exercise, expected.packed, source), exercise.limits, gpu=exercise.gpu)
        try:
            result = _verdict(exercise, expected, outcome)
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


def internal_error_result(exercise: Exercise, message: str) -> GradingResult:
    return GradingResult(
        exercise.slug,
        exercise.version,
        "internal_error",
        f"{VERDICTS['internal_error']} ({message[:300]})",
        0.0,
        exercise.points,
    )


def _early(exercise: Exercise, verdict: str, message: str) -> GradingResult:
    return GradingResult(
        exercise.slug, exercise.version, verdict, message, 0.0, exercise.points, limits=exercise.limits.as_dict()
    )


def _check_source(exercise: Exercise, source: str) -> GradingResult | None:
    size = len(source.encode("utf-8", errors="replace"))
    if size > exercise.max_source_bytes:
        return _early(
            exercise,
            "too_large",
            f"Your file is {size // 1024} KiB; the limit is {exercise.max_source_bytes // 1024} KiB.",
        )
    problem = check_syntax(source)
    if problem:
        return _early(exercise, "syntax_error", f"Syntax error on line {problem.line}: {problem.message}")
    forbidden = find_forbidden(source, exercise.forbidden)
    if forbidden:
        lines = "; ".join(f"line {p.line}: {p.message}" for p in forbidden[:5])
        return _early(exercise, "forbidden_call", f"Forbidden in this exercise — {lines}")
    return None


def _verdict(exercise: Exercise, expected: ExpectedSet, outcome: RunOutcome) -> GradingResult | None:
    """The trusted verdict, or None when the run failed on our side."""
    limits = exercise.limits
    report: Report | None = None
    if outcome.stdout and not outcome.stdout_overflow:
        try:
            report = parse_report(outcome.stdout, limits.result_max_bytes + (8 << 20))
        except ReportError:
            if not (outcome.timed_out or outcome.oom_killed):
                raise
    if report is None:
        if outcome.timed_out:
            return _whole_run(exercise, expected, outcome, "time_limit")
        if outcome.oom_killed:
            return _whole_run(exercise, expected, outcome, "memory_limit")
        if outcome.stdout_overflow:
            return _whole_run(exercise, expected, outcome, "output_limit")
        return None
    data = report.data
    if data.get("harness_errors"):
        return None
    result = GradingResult(
        exercise.slug,
        exercise.version,
        "accepted",
        "",
        0.0,
        exercise.points,
        backend=outcome.backend,
        unsafe=outcome.unsafe,
        limits=limits.as_dict(),
    )
    visible_phase = data["phases"].get(VISIBLE, {})
    result.output = str(visible_phase.get("output", ""))[: limits.output_keep_bytes]
    if visible_phase.get("output_truncated"):
        result.output += f"\n[... {visible_phase.get('output_bytes', 0)} bytes printed in all; the rest is not shown]"
    import_error = data.get("import_error")
    if import_error:
        return _import_failure(exercise, expected, result, import_error)
    weights = sum(c.points for c in expected.packed.cases) or 1.0
    peaks = Peaks.for_run(gpu=exercise.gpu, cpus=limits.cpus)
    diagnoses = exercise.diagnoses()
    timed_medians = []
    for case_id, case in expected.packed.by_id().items():
        max_score = exercise.points * case.points / weights
        record = data["cases"].get(case_id)
        case_result = _judge_case(case, record, expected.by_id[case_id], report, exercise, outcome, diagnoses, peaks)
        case_result.max_score = max_score
        case_result.score = max_score if case_result.passed else 0.0
        result.cases.append(case_result)
        if case_result.passed and case_result.times:
            timed_medians.append(median(case_result.times))
    reported_total = sum(sum(c.times) for c in result.cases)
    if reported_total > outcome.wall_s + 1.0:
        for case in result.cases:
            if case.times:
                case.status, case.score = "failed", 0.0
                case.message = "Timings reported from the sandbox exceed the time the run really took."
    result.score = sum(c.score for c in result.cases)
    _summarise(result, limits)
    if timed_medians and all(c.passed for c in result.cases if c.times):
        value = geometric_mean(timed_medians)
        result.leaderboard = [{"name": "time", "value": value, "order": "asc"}]
        reference = [
            median(expected.by_id[i].times)
            for i, c in expected.packed.by_id().items()
            if c.is_timed and expected.by_id[i].times
        ]
        if reference:
            result.extra["reference_time"] = geometric_mean(reference)
    result.leaderboard.insert(0, {"name": "score", "value": round(result.score, 4), "order": "desc"})
    return result


def _judge_case(
    case: Case,
    record: dict | None,
    expected: Expected,
    report: Report,
    exercise: Exercise,
    outcome: RunOutcome,
    diagnoses,
    peaks: Peaks,
) -> CaseResult:
    result = CaseResult(
        name=case.name,
        visible=case.visible,
        status="failed",
        score=0.0,
        max_score=0.0,
        explain=case.explain if case.visible else "",
    )
    if record is None:
        cause = "time_limit" if outcome.timed_out else ("memory_limit" if outcome.oom_killed else "crashed")
        result.status = cause
        result.message = exercise.limits.describe(cause) if cause != "crashed" else "No result: the run stopped."
        return result
    status = record["status"]
    if status == "missing_entry":
        result.status = "missing_entry"
        result.message = f"Your file does not define the function {case.entry}()."
        return result
    if status == "aborted":
        cause = record.get("cause", "")
        if cause == "killed" and outcome.oom_killed:
            cause = "memory_limit"
        result.status = ABORT_STATUS.get(cause, "crashed")
        result.message = exercise.limits.describe(cause) if cause in ABORT_STATUS else _crash_message(cause)
        return result
    if status == "not_run":
        result.status = "not_run"
        result.message = {
            "time_limit": "Not run: the time limit was used up by earlier cases.",
            "too_many_crashes": "Not run: the code crashed too many times.",
        }.get(record.get("cause", ""), "Not run.")
        return result
    if status == "unsupported":
        result.message = f"Your function {str(record.get('message', 'returned an unsupported value'))[:300]}."
        return result
    if status == "raised":
        return _judge_exception(case, record, expected, result, diagnoses)
    try:
        got = rebuild(record.get("value"), report.arrays)
    except BadValue:
        # Values come from the learner's process: garbage there is theirs, not an internal error.
        result.message = "The value your function returned could not be read (the harness was tampered with?)."
        return result
    if case.expect_error:
        mismatch = Mismatch("no-error", f"Expected {case.expect_error} to be raised, but a value was returned.")
        return _fail(result, case, got, expected.value, mismatch, diagnoses)
    rules = Rules(
        rtol=case.rtol if case.rtol is not None else exercise.rtol,
        atol=case.atol if case.atol is not None else exercise.atol,
        strict_dtype=case.strict_dtype,
        allow_lists=case.allow_lists,
        sign_invariant_axis=case.sign_invariant_axis,
    )
    if case.timing:
        return _judge_timed(case, record, expected, report, result, rules, peaks, diagnoses)
    if case.check is not None:
        outcome = case.check(got, expected.value, case)
        mismatch = outcome if isinstance(outcome, Mismatch) or outcome is None else Mismatch("check", outcome)
    else:
        mismatch = compare(got, expected.value, rules)
    if mismatch is None:
        result.status, result.message = "passed", "Correct."
        return result
    return _fail(result, case, got, expected.value, mismatch, diagnoses)


def _judge_exception(case, record, expected: Expected, result: CaseResult, diagnoses) -> CaseResult:
    error = record.get("error") or {}
    kind, message = str(error.get("type", "Exception")), str(error.get("message", ""))
    if error.get("forbidden"):
        result.status, result.message = "forbidden", f"Forbidden call: {message}"
        return result
    if case.expect_error and expected.status == "raised":
        if kind != case.expect_error:
            result.message = f"Expected {case.expect_error}, but your code raised {kind}."
            result.detail = f"{kind}: {message}"
            return result
        problem = case.error_message_check(message, case) if case.error_message_check else None
        if problem:
            result.message = problem
            result.detail = f"Your message: {message!r}"
            return result
        result.status, result.message = "passed", f"Correct: raised {kind}."
        return result
    result.status = "error"
    result.message = f"Your code raised {kind}" + (
        f": {message}" if case.visible else " (message hidden for hidden cases)"
    )
    result.traceback = [f for f in error.get("traceback", []) if isinstance(f, dict)][-5:]
    raised = Mismatch("exception", result.message, data={"type": kind, "message": message})
    found = diagnose(case, None, expected.value, raised, diagnoses)
    if found:
        result.diagnosis, result.diagnosis_message = found.id, found.message
    return result


def _judge_timed(case, record, expected: Expected, report, result, rules, peaks, diagnoses) -> CaseResult:
    try:
        values = [rebuild(v, report.arrays) for v in record.get("values", [])]
        times = [float(t) for t in record.get("times", [])]
    except (BadValue, TypeError, ValueError):
        result.message = "The timed results could not be read (the harness was tampered with?)."
        return result
    wanted = expected.values or [expected.value]
    if len(values) != len(wanted) or len(times) != len(wanted):
        result.message = "The timed run did not report every repetition."
        return result
    for index, (got, exp) in enumerate(zip(values, wanted, strict=True)):
        mismatch = compare(got, exp, rules)
        if mismatch:
            _fail(result, case, got, exp, mismatch, diagnoses)
            result.message = f"Repetition {index + 1}: {result.message}"
            return result
    floor = floor_seconds(case.timing.flops, case.timing.bytes_moved, peaks)
    if implausible(times, floor):
        result.message = (
            f"Rejected timing: {min(times) * 1e6:.1f} µs is below the {floor * 1e6:.1f} µs "
            "the hardware needs for this much work."
        )
        return result
    result.status, result.times = "passed", times
    result.message = f"Correct; median time {median(times) * 1e3:.3f} ms over {len(times)} runs."
    if expected.times:
        result.detail = f"Reference solution: {median(expected.times) * 1e3:.3f} ms."
    return result


def _fail(result: CaseResult, case, got, expected_value, mismatch: Mismatch, diagnoses) -> CaseResult:
    result.status = "failed"
    result.message = mismatch.message
    result.detail = mismatch.detail
    found = diagnose(case, got, expected_value, mismatch, diagnoses)
    if found:
        result.diagnosis, result.diagnosis_message = found.id, found.message
    return result


def _crash_message(cause: str) -> str:
    if cause.startswith("signal_"):
        return f"Your code crashed ({cause[7:]})."
    if cause.startswith("exited_"):
        return f"Your code ended the process (exit status {cause[7:]}); return values instead of exiting."
    if cause == "killed":
        return "Your code was killed (it may have used too much memory)."
    if cause == "protocol":
        return "Your code interfered with the grader's communication channel."
    return f"Your code stopped unexpectedly ({cause})."


def _import_failure(exercise, expected: ExpectedSet, result: GradingResult, error: dict) -> GradingResult:
    frames = [f for f in error.get("traceback", []) if isinstance(f, dict)]
    line = f" (line {frames[-1].get('line')})" if frames else ""
    result.verdict = "import_error"
    result.message = f"Importing your file raised {error.get('type')}{line}: {str(error.get('message'))[:500]}"
    for case in expected.packed.cases:
        result.cases.append(
            CaseResult(case.name, case.visible, "not_run", 0.0, 0.0, message="Not run: your file failed to import.")
        )
    return result


def _whole_run(exercise: Exercise, expected: ExpectedSet, outcome: RunOutcome, cause: str) -> GradingResult:
    message = exercise.limits.describe(cause)
    result = GradingResult(
        exercise.slug,
        exercise.version,
        cause,
        f"{VERDICTS[cause]} ({message})",
        0.0,
        exercise.points,
        backend=outcome.backend,
        unsafe=outcome.unsafe,
        limits=exercise.limits.as_dict(),
        limit_hit=cause,
    )
    for case in expected.packed.cases:
        result.cases.append(CaseResult(case.name, case.visible, cause, 0.0, 0.0, message=message))
    return result


def _summarise(result: GradingResult, limits) -> None:
    statuses = {c.status for c in result.cases}
    if statuses == {"passed"}:
        result.verdict, result.message = "accepted", f"All {len(result.cases)} cases pass."
        return
    for status, verdict in VERDICT_ORDER:
        if status in statuses:
            result.verdict = verdict
            break
    passed = sum(c.passed for c in result.cases)
    first = next(c for c in result.cases if not c.passed)
    index = result.cases.index(first) + 1
    if result.verdict in ("time_limit", "memory_limit", "output_limit"):
        result.limit_hit = result.verdict
        first = next(c for c in result.cases if c.status == result.verdict)
        result.message = f"{first.message}. {passed} of {len(result.cases)} cases pass."
    elif result.verdict == "runtime_error":
        first = next(c for c in result.cases if c.status in ("error", "crashed"))
        index = result.cases.index(first) + 1
        result.message = (
            f"Exception in case {index} ({first.name}): {first.message}. {passed} of {len(result.cases)} pass."
        )
    else:
        result.message = (
            f"{passed} of {len(result.cases)} cases pass; first failure: case {index} ({first.name}): {first.message}"
        )
    diagnosed = [c for c in result.cases if c.diagnosis]
    if diagnosed:  # the mistake named most often is the headline
        counts = {d: sum(c.diagnosis == d for c in diagnosed) for d in dict.fromkeys(c.diagnosis for c in diagnosed)}
        top = next(c for c in diagnosed if c.diagnosis == max(counts, key=counts.get))
        result.message += f" Likely mistake: {top.diagnosis_message}"
