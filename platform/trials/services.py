"""Trial runs (the Run button): the "trial" lane of the one pipeline, and the visible cases served for offline work.

A trial runs the learner's code on the visible cases only (grader.grading.grade with
visible_only=True: nothing hidden enters its sandbox) and counts for nothing: its row is
a TrialRun, never a Submission, so no attempt, best result, leaderboard or grade book
can see it. Everything else is the submission pipeline's (submissions.pipeline): the
intake check, the task, the claim and takeover, the heartbeat, the retry budgets, the
warm pool, the sweep and the resend after a worker start.

Trials never delay graded work: they have their own queue, which workers drain after
the live one (settings.WORK_QUEUES, the -Q lists); a learner has at most one trial in
flight (a new Run supersedes one still waiting, and is refused while one runs); and at
most settings.TRIAL_MAX_IN_FLIGHT trials are in flight at all. They also have their own,
lighter rate limit (settings.TRIAL_RATE_LIMIT).
"""

from __future__ import annotations

import base64
import io
import logging
import math

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from catalog.models import Exercise, ExerciseVersion
from catalog.services import version_folder
from catalog.versions import VersionUnavailable
from config.grader import sandbox_backend
from grader.grading import expected_store
from grader.protocol import FixtureArg, TensorArg
from grader.results import GradingResult
from grader.values import TensorValue
from ops.rate_limits import window_wait
from submissions import pipeline
from submissions.intake import source_problem
from trials import dispatch
from trials.models import TrialRun, TrialStatus, VisibleCaseSet

log = logging.getLogger("tensordojo.trials")

KEEP_RUNS = timezone.timedelta(days=1)
OUR_SIDE = "We could not run your code just now (a problem on our side, not in your code). Try again in a moment."
SUPERSEDED = "Replaced by your newer run."
TRIAL_LANE = "trial"
IN_FLIGHT = (TrialStatus.QUEUED, TrialStatus.RUNNING)
TRANSITIONS: dict[str, set[str]] = {
    TrialStatus.QUEUED: {TrialStatus.RUNNING, TrialStatus.ERROR},
    TrialStatus.RUNNING: {TrialStatus.DONE, TrialStatus.ERROR, TrialStatus.QUEUED},
    TrialStatus.DONE: set(),
    TrialStatus.ERROR: set(),
}


class TrialRejected(Exception):
    """A trial refused before it was stored; the message is for the learner."""


class TrialRateLimited(TrialRejected):
    def __init__(self, retry_after: int, message: str | None = None):
        self.retry_after = retry_after
        super().__init__(message or f"Too many runs: wait {retry_after} s before running again.")


class TrialBusy(TrialRateLimited):
    """Refused because a trial is already in flight (the learner's own, or the budget of all of them)."""

    def __init__(self, message: str, retry_after: int = 3):
        super().__init__(retry_after, message)


def _rate_limit(user_id: int) -> None:
    """Separate from (and lighter than) the submission limit."""
    wait = window_wait(name="trial", rate=settings.TRIAL_RATE_LIMIT, user_id=user_id)
    if wait is not None:
        raise TrialRateLimited(retry_after=wait)


def _stale_before():
    """Trials created before this no worker finished in time: they no longer hold a place in flight."""
    return timezone.now() - timezone.timedelta(seconds=settings.GRADING_HARD_TIME_LIMIT + 60)


ADMISSION_LOCK = 0x7472_6961_6C73  # "trials": the key of the advisory lock that admits runs one at a time


def _admissions_in_turn() -> None:
    """Admit runs one at a time, until the caller's transaction ends, so no race exceeds the budgets.

    PostgreSQL: a transaction-scoped advisory lock, held for a few queries. SQLite (development)
    has no such lock; there two simultaneous Runs may both be admitted.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADMISSION_LOCK])


def trial_create(*, user, exercise: Exercise, source: str, version: ExerciseVersion | None = None) -> TrialRun:
    """Store the code and queue a run on the visible cases. Raises TrialRejected with a reason.

    The run is made against the exercise's published version, or against ``version`` (a course's
    staff previewing an unpublished one: courses.services.preview_trial_create decides who may).

    At most one trial of a learner is in flight: one still waiting is superseded (it will be
    skipped when its message comes), one already running refuses the new one (TrialBusy). At
    most settings.TRIAL_MAX_IN_FLIGHT trials are in flight at all (TrialBusy beyond).
    """
    problem = source_problem(source)
    if problem is not None:
        raise TrialRejected(problem)
    if version is not None and version.exercise_id != exercise.id:
        raise TrialRejected("That version is not a version of this exercise.")
    if version is None and (not exercise.is_active or exercise.current_version_id is None):
        raise TrialRejected("This exercise is not open.")
    version_id = version.id if version is not None else exercise.current_version_id
    with transaction.atomic():
        _admissions_in_turn()
        # Runs are scratch work: the learner's runs older than a day go (no table grows without bound).
        TrialRun.objects.filter(user=user, created_at__lt=timezone.now() - KEEP_RUNS).delete()
        in_flight = TrialRun.objects.filter(status__in=IN_FLIGHT, created_at__gte=_stale_before())
        mine = list(in_flight.filter(user=user).values_list("id", "status"))
        if any(status == TrialStatus.RUNNING for _, status in mine):
            raise TrialBusy("Your previous run is still running: wait for its result, then run again.")
        if in_flight.exclude(user=user).count() >= settings.TRIAL_MAX_IN_FLIGHT:
            raise TrialBusy("Many runs are waiting just now: try again in a few seconds (submitting is not affected).")
        _rate_limit(user.id)  # counts the runs taken, not the refusals above
        for trial_id, _ in mine:  # still waiting: the newer code replaces it
            _end(trial_id, SUPERSEDED)
        trial = TrialRun.objects.create(user=user, exercise=exercise, exercise_version_id=version_id, source=source)
        transaction.on_commit(lambda: enqueue(trial))
    return trial


def queue_for(trial: TrialRun) -> str:
    return exercise_queue(trial.exercise)


def exercise_queue(exercise: Exercise) -> str:
    """Trials (and the visible cases' preparation) have their own queues, drained after the live ones."""
    return "gpu-trial" if exercise.gpu else "trial"


def enqueue(trial: TrialRun) -> bool:
    """Send the run; a broker that is down marks the trial failed at once (the learner just runs again)."""
    if pipeline.enqueue(LANE, trial):
        return True
    trial_fail(trial_id=trial.id, reason="the broker is unreachable")
    return False


def _end(trial_id, message: str) -> bool:
    """queued | running -> error with ``message`` (through the lane's state machine)."""
    with transaction.atomic():
        trial = pipeline.locked(LANE, trial_id)
        if trial.status not in IN_FLIGHT:
            return False
        pipeline.move(LANE, trial, TrialStatus.ERROR)
        trial.error_message, trial.finished_at = message, timezone.now()
        trial.save(update_fields=["status", "error_message", "finished_at"])
    return True


def trial_fail(*, trial_id, reason: str) -> bool:
    """-> error: our side failed for good. The learner is told it is ours; the reason goes to the log."""
    log.warning("trial failed on our side", extra={"trial_id": str(trial_id), "reason": reason[:300]})
    return _end(trial_id, OUR_SIDE)


def trial_finish(*, trial_id, attempt: int, result: GradingResult) -> bool:
    """running -> done with the visible part of the grading, in one write. False if this attempt is stale."""
    with transaction.atomic():
        trial = pipeline.locked(LANE, trial_id)
        if trial.status != TrialStatus.RUNNING or trial.attempts != attempt:
            log.warning("stale trial result ignored", extra={"trial_id": str(trial_id), "attempt": attempt})
            return False
        pipeline.move(LANE, trial, TrialStatus.DONE)
        trial.result = visible_part(result.to_results_json())
        trial.error_message, trial.finished_at = "", timezone.now()
        trial.save(update_fields=["status", "result", "error_message", "finished_at"])
    return True


def trial_requeue(*, trial_id, attempt: int | None, reason: str) -> bool:
    """running -> queued after an infrastructure failure (the task retries)."""
    return pipeline.requeue(LANE, job_id=trial_id, attempt=attempt, reason_field="error_message", reason=reason)


def trial_give_up_if_stale(trial: TrialRun) -> TrialRun:
    """A trial no worker finished in time ends as our error, not an endless wait (the last resort)."""
    if not trial.is_finished and trial.created_at < _stale_before():
        _end(trial.id, OUR_SIDE)
        trial.refresh_from_db()
    return trial


def visible_part(results: dict) -> dict:
    """What a trial keeps of a grading: visible cases only, and nothing that ranks."""
    kept = dict(results)
    kept["tests"] = [t for t in results.get("tests", []) if t.get("visibility") != "hidden"]
    kept["leaderboard"] = []
    return kept


LANE = pipeline.Lane(
    name=TRIAL_LANE,
    model=TrialRun,
    transitions={str(k): {str(v) for v in vs} for k, vs in TRANSITIONS.items()},
    queue_for=queue_for,
    # A run keeps no sandbox times (it has no journey to show): they are dropped here.
    finish=lambda *, job_id, attempt, result, **_: trial_finish(trial_id=job_id, attempt=attempt, result=result),
    requeue=lambda *, job_id, attempt, reason: trial_requeue(trial_id=job_id, attempt=attempt, reason=reason),
    fail=lambda *, job_id, reason: trial_fail(trial_id=job_id, reason=reason),
    visible_only=True,
)


# --- visible cases for offline runs -------------------------------------------------------


def visible_cases_get(*, exercise: Exercise) -> VisibleCaseSet | None:
    """The visible cases of the current version, or None while they are being prepared (queued once)."""
    version = exercise.current_version
    found = VisibleCaseSet.objects.filter(exercise_version=version).first()
    if found is None and cache.add(f"visible-cases-queued:{version.id}", 1, timeout=60):
        try:
            dispatch.send_visible_cases(version.id, queue=exercise_queue(exercise))
        except Exception as exc:  # broker down: the next request tries again
            cache.delete(f"visible-cases-queued:{version.id}")
            log.warning("could not queue the visible cases", extra={"error": str(exc)[:200]})
    return found


def visible_cases_build(*, version_id: int, backend=None) -> VisibleCaseSet | None:
    """Compute the reference's outputs (in the sandbox, cached) and store the visible cases only."""
    version = ExerciseVersion.objects.select_related("exercise").get(id=version_id)
    try:
        folder = version_folder(version)
    except VersionUnavailable:  # the folder moved on; the current version gets its own set
        return None
    # Visible cases are the same in every pool of hidden cases: pool 0's reference run serves them.
    expected = expected_store().get(folder, backend or sandbox_backend(), pool_index=0)
    ids = expected.packed.ids
    cases = []
    for case in expected.packed.cases:
        if not case.visible or case.is_timed:
            continue
        cases.append(_public_case(case, expected.by_id[ids[case.name]], folder))
    found, _ = VisibleCaseSet.objects.update_or_create(exercise_version=version, defaults={"cases": cases})
    return found


def _public_case(case, expected, folder) -> dict:
    entry = {
        "name": case.name,
        "entry": case.entry,
        "explain": case.explain,
        "rtol": case.rtol if case.rtol is not None else folder.rtol,
        "atol": case.atol if case.atol is not None else folder.atol,
        "custom_check": case.check is not None,
        "allow_lists": case.allow_lists,
        "sign_invariant_axis": case.sign_invariant_axis,
        "strict_dtype": case.strict_dtype,
    }
    try:
        entry["args"] = encode_value(tuple(case.args))
        entry["kwargs"] = encode_value(dict(case.kwargs))
        if expected.status == "raised":
            entry["expect_error"] = expected.error_type
        else:
            entry["expected"] = encode_value(expected.value)
        entry["local"] = True
    except UnencodableValue as exc:
        entry.update({"args": None, "kwargs": None, "local": False, "why_not_local": str(exc)})
    return entry


class UnencodableValue(Exception):
    pass


def encode_value(value):
    """JSON for a case's inputs or expected output; arrays travel as base64 .npy (exact, NaN-safe)."""
    if isinstance(value, np.ndarray):
        return {"$ndarray": _npy(value)}
    if isinstance(value, TensorArg):
        return {"$tensor": _npy(value.data), "dtype": value.dtype}
    if isinstance(value, TensorValue):
        return {"$tensor": _npy(value.array), "dtype": value.dtype}
    if isinstance(value, FixtureArg):
        raise UnencodableValue(f"this case builds {value.name!r} inside the sandbox; run it on the server")
    if isinstance(value, tuple):
        return {"$tuple": [encode_value(v) for v in value]}
    if isinstance(value, list):
        return [encode_value(v) for v in value]
    if isinstance(value, dict):
        return {"$dict": {str(k): encode_value(v) for k, v in value.items()}}
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return {"$float": repr(value)}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise UnencodableValue(f"a {type(value).__name__} cannot be sent for an offline run")


def _npy(array: np.ndarray) -> str:
    buffer = io.BytesIO()
    try:
        np.save(buffer, np.asarray(array), allow_pickle=False)
    except ValueError as exc:
        raise UnencodableValue(f"an array of dtype {array.dtype} cannot be sent") from exc
    return base64.b64encode(buffer.getvalue()).decode("ascii")
