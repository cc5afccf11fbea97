"""Trial runs (the Run button) and the visible cases served for offline work.

A trial runs the learner's code on the visible cases only, through the same
sandbox and the same grader as a submission (grader.grading.grade with
visible_only=True), and counts for nothing: it creates no Submission, so no
attempt, no best result and no leaderboard row. It has its own, lighter rate
limit (settings.TRIAL_RATE_LIMIT).
"""

from __future__ import annotations

import base64
import io
import logging
import math

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from catalog.models import Exercise, ExerciseVersion
from catalog.services import version_folder
from catalog.versions import VersionUnavailable
from config.grader import sandbox_backend
from grader.backends import SandboxUnavailable
from grader.grading import InternalGradingError, expected_store, grade
from grader.protocol import FixtureArg, TensorArg
from grader.values import TensorValue
from ops.rate_limits import window_wait
from trials import dispatch
from trials.models import TrialRun, TrialStatus, VisibleCaseSet

log = logging.getLogger("tensordojo.trials")

KEEP_RUNS = timezone.timedelta(days=1)
OUR_SIDE = "We could not run your code just now (a problem on our side, not in your code). Try again in a moment."


class TrialRejected(Exception):
    """A trial refused before it was stored; the message is for the learner."""


class TrialRateLimited(TrialRejected):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(f"Too many runs: wait {retry_after} s before running again.")


def _rate_limit(user_id: int) -> None:
    """Separate from (and lighter than) the submission limit."""
    wait = window_wait(name="trial", rate=settings.TRIAL_RATE_LIMIT, user_id=user_id)
    if wait is not None:
        raise TrialRateLimited(retry_after=wait)


def trial_create(*, user, exercise: Exercise, source: str) -> TrialRun:
    """Store the code and queue a run on the visible cases. Raises TrialRejected with a reason."""
    if not isinstance(source, str):
        raise TrialRejected("The code must be text.")
    size = len(source.encode("utf-8", errors="replace"))
    if size > settings.SUBMISSION_MAX_BYTES:
        raise TrialRejected(
            f"Your code is {size // 1024} KiB; the limit is {settings.SUBMISSION_MAX_BYTES // 1024} KiB."
        )
    if not source.strip():
        raise TrialRejected("There is no code to run.")
    if "\x00" in source:
        raise TrialRejected("The code contains a NUL byte; paste it as plain text.")
    if not exercise.is_active or exercise.current_version_id is None:
        raise TrialRejected("This exercise is not open.")
    _rate_limit(user.id)
    with transaction.atomic():
        # Runs are scratch work: the learner's runs older than a day go (no table grows without bound).
        TrialRun.objects.filter(user=user, created_at__lt=timezone.now() - KEEP_RUNS).delete()
        trial = TrialRun.objects.create(user=user, exercise=exercise, source=source)
        transaction.on_commit(lambda: enqueue(trial))
    return trial


def queue_for(exercise: Exercise) -> str:
    return "gpu" if exercise.gpu else "cpu"


def enqueue(trial: TrialRun) -> bool:
    """Send the run; a broker that is down marks the trial failed at once (the learner just runs again)."""
    try:
        dispatch.send_trial(str(trial.id), queue=queue_for(trial.exercise))
    except Exception as exc:  # kombu raises several types when the broker is unreachable
        log.warning("trial enqueue failed", extra={"trial_id": str(trial.id), "error": str(exc)[:200]})
        _finish(trial.id, status=TrialStatus.ERROR, error_message=OUR_SIDE)
        return False
    return True


def _finish(trial_id, *, status: str, result: dict | None = None, error_message: str = "") -> None:
    TrialRun.objects.filter(id=trial_id).exclude(status__in=[TrialStatus.DONE, TrialStatus.ERROR]).update(
        status=status, result=result, error_message=error_message, finished_at=timezone.now()
    )


def trial_run(*, trial_id, backend=None) -> str:
    """Run one queued trial on the visible cases. Returns done | error | skipped."""
    claimed = TrialRun.objects.filter(id=trial_id, status=TrialStatus.QUEUED).update(status=TrialStatus.RUNNING)
    if not claimed:
        return "skipped"
    trial = TrialRun.objects.select_related("exercise").get(id=trial_id)
    try:
        folder = version_folder(trial.exercise.current_version)
        result = grade(folder, trial.source, backend=backend or sandbox_backend(), visible_only=True)
    except (SandboxUnavailable, InternalGradingError, VersionUnavailable, OSError) as exc:
        log.warning("trial failed on our side", extra={"trial_id": str(trial_id), "error": str(exc)[:300]})
        _finish(trial_id, status=TrialStatus.ERROR, error_message=OUR_SIDE)
        return "error"
    except Exception:  # a bug of ours (or the task's time limit): never leave the page waiting
        log.exception("trial crashed", extra={"trial_id": str(trial_id)})
        _finish(trial_id, status=TrialStatus.ERROR, error_message=OUR_SIDE)
        raise
    _finish(trial_id, status=TrialStatus.DONE, result=visible_part(result.to_results_json()))
    return "done"


def trial_give_up_if_stale(trial: TrialRun) -> TrialRun:
    """A trial no worker finished in time (message lost, worker killed) ends as our error, not an endless wait."""
    too_old = timezone.now() - timezone.timedelta(seconds=settings.GRADING_HARD_TIME_LIMIT + 60)
    if not trial.is_finished and trial.created_at < too_old:
        _finish(trial.id, status=TrialStatus.ERROR, error_message=OUR_SIDE)
        trial.refresh_from_db()
    return trial


def visible_part(results: dict) -> dict:
    """What a trial keeps of a grading: visible cases only, and nothing that ranks."""
    kept = dict(results)
    kept["tests"] = [t for t in results.get("tests", []) if t.get("visibility") != "hidden"]
    kept["leaderboard"] = []
    return kept


# --- visible cases for offline runs -------------------------------------------------------


def visible_cases_get(*, exercise: Exercise) -> VisibleCaseSet | None:
    """The visible cases of the current version, or None while they are being prepared (queued once)."""
    version = exercise.current_version
    found = VisibleCaseSet.objects.filter(exercise_version=version).first()
    if found is None and cache.add(f"visible-cases-queued:{version.id}", 1, timeout=60):
        try:
            dispatch.send_visible_cases(version.id, queue=queue_for(exercise))
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
