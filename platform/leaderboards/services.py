"""Keeping BestResult current: each row is recomputed from the submissions it summarises.

A row is a pure function of the learner's graded submissions of one exercise (all of
them for the global board; those that count by the cohort counting rule, in
cohorts.selectors.counting, for a cohort board), so a re-grade, a late join or a moved
deadline can never leave a stale number behind: each of them refreshes the rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from catalog.models import Exercise
from cohorts.models import CohortExercise, Membership
from cohorts.selectors.counting import counting_cohort_ids, counting_submissions
from grader.backends import Backend, SandboxUnavailable
from grader.exercise import ExerciseFormatError, exercise_folders, load_exercise
from grader.gpu import runs_on_gpu
from grader.grading import InternalGradingError, expected_store
from grader.lines import NO_GPU, LineError, NoGpu, device_check_lines, exercise_lines, has_lines, time_line
from leaderboards.board_time import board_time_refresh
from leaderboards.models import BestResult, LineTime
from leaderboards.ranking import submission_order
from submissions.models import Submission


def counting_cohorts(submission: Submission) -> list[int]:
    """Cohorts whose boards this submission counts for (the cohort counting rule)."""
    return counting_cohort_ids(submission=submission)


def _summary(candidates) -> dict | None:
    best = candidates.order_by(*submission_order()).first()
    if best is None:
        return None
    return {
        "score": best.score or 0.0,
        "time_value": best.time_value,
        "reached_at": best.created_at,  # submitted first, not graded first: a re-grade moves nobody
        "submission": best,
        "attempts": candidates.count(),
        "last_activity": candidates.aggregate(last=Max("graded_at"))["last"] or best.created_at,
    }


def best_result_refresh(*, user_id: int, exercise_id: int, cohort_id: int | None) -> BestResult | None:
    """Recompute one learner's best for one exercise on one board (cohort None: the global board)."""
    candidates = Submission.objects.filter(user_id=user_id, exercise_id=exercise_id, status=Submission.GRADED)
    if cohort_id is not None:
        candidates = candidates.filter(pk__in=counting_submissions(cohort=cohort_id).values("pk"))
    key = {"user_id": user_id, "exercise_id": exercise_id, "cohort_id": cohort_id}
    with transaction.atomic():
        # Lock the row before reading the submissions: a second worker grading the same learner
        # waits here, then reads the first one's committed result.
        row = BestResult.objects.select_for_update().filter(**key).first()
        if row is None:
            values = _summary(candidates)
            if values is None:
                return None
            # get_or_create re-reads when a concurrent insert wins the race (unique constraints).
            row, created = BestResult.objects.get_or_create(**key, defaults=values)
            if created:
                return row
            row = BestResult.objects.select_for_update().get(pk=row.pk)
        values = _summary(candidates)
        if values is None:
            row.delete()
            return None
        for name, value in values.items():
            setattr(row, name, value)
        row.save(update_fields=list(values))
        return row


def best_result_update(*, submission: Submission) -> None:
    """Fold one graded submission into the learner's global best and the bests of the cohorts it counts for."""
    board_time_refresh(submission=submission)  # identical code ranks at the median of its runs, not the best
    for cohort_id in [None, *counting_cohorts(submission)]:
        best_result_refresh(user_id=submission.user_id, exercise_id=submission.exercise_id, cohort_id=cohort_id)


def cohort_bests_refresh(*, cohort_id: int, user_ids=None, exercise_ids=None) -> int:
    """Recompute a cohort's board rows after the rule's inputs changed (a join, a deadline)."""
    learners = Membership.objects.filter(cohort_id=cohort_id, role=Membership.LEARNER).values("user_id")
    linked = CohortExercise.objects.filter(cohort_id=cohort_id).values("exercise_id")
    submitted = Submission.objects.filter(user_id__in=learners, exercise_id__in=linked, status=Submission.GRADED)
    stale = BestResult.objects.filter(cohort_id=cohort_id)
    if user_ids is not None:
        submitted, stale = submitted.filter(user_id__in=user_ids), stale.filter(user_id__in=user_ids)
    if exercise_ids is not None:
        submitted, stale = submitted.filter(exercise_id__in=exercise_ids), stale.filter(exercise_id__in=exercise_ids)
    pairs = set(submitted.values_list("user_id", "exercise_id").distinct())
    pairs |= set(stale.values_list("user_id", "exercise_id"))
    for user_id, exercise_id in sorted(pairs):
        best_result_refresh(user_id=user_id, exercise_id=exercise_id, cohort_id=cohort_id)
    return len(pairs)


# Lines on a board: our own code's times (grader/lines.py), shown as the line to beat.


@dataclass
class LinesReport:
    """What a measurement or an import recorded, and what it could not (one message per line or exercise)."""

    recorded: list[LineTime] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def line_time_record(
    *,
    exercise: Exercise,
    name: str,
    label: str,
    seconds: float,
    device: str,
    exercise_version: str,
    measured_at: datetime | None = None,
    measured_by: str = LineTime.MeasuredBy.WORKER,
) -> LineTime:
    """Store one line's time on the exercise's board, replacing the line's earlier measurement."""
    if not 0 < seconds < math.inf:
        raise ValueError(f"a line's time must be a positive number of seconds, not {seconds!r}")
    line, _ = LineTime.objects.update_or_create(
        exercise=exercise,
        name=name,
        defaults={
            "label": label,
            "seconds": seconds,
            "device": device,
            "exercise_version": exercise_version,
            "measured_at": measured_at or timezone.now(),
            "measured_by": measured_by,
        },
    )
    return line


def _exercises_with_lines(root: Path, slugs: list[str] | None) -> list[Path]:
    if not slugs:
        return [folder for folder in exercise_folders(root) if has_lines(folder)]
    folders = [root / slug for slug in slugs]
    for folder in folders:
        if not has_lines(folder):
            raise ExerciseFormatError(folder, None, "has no line files (lines/<name>.py)")
    return folders


def _catalogued(slug: str) -> Exercise | None:
    return Exercise.objects.filter(slug=slug).first()


NOT_SYNCED = "not in the database: run `manage.py exercises sync` first"


def lines_measure(
    *, root: Path, slugs: list[str] | None = None, backend: Backend, device: str | None = None
) -> LinesReport:
    """Time every line of the exercises under ``root`` that have line files (or of ``slugs``) on
    ``backend``, as submissions are timed, and record each time.

    Raises NoGpu before timing anything when one of them would not be timed on a GPU here,
    ExerciseFormatError for a malformed folder.
    """
    exercises = [load_exercise(folder) for folder in _exercises_with_lines(root, slugs)]
    for exercise in exercises:  # all or nothing: half the board measured on a CPU is worse than none
        if not runs_on_gpu(exercise, backend):
            raise NoGpu(f"{exercise.slug}: {NO_GPU}")
    report = LinesReport()
    for exercise in exercises:
        row = _catalogued(exercise.slug)
        if row is None:
            report.failed.append(f"{exercise.slug}: {NOT_SYNCED}")
            continue
        for name, line in exercise_lines(exercise).items():
            try:
                timed = time_line(exercise, name, backend=backend, store=expected_store(), device=device)
            except (LineError, SandboxUnavailable, InternalGradingError) as exc:
                report.failed.append(f"{exercise.slug} {name}: {exc}")
                continue
            report.recorded.append(_record(row, name, line, timed, LineTime.MeasuredBy.WORKER))
    return report


def lines_import_device_check(*, root: Path, document: object, slugs: list[str] | None = None) -> LinesReport:
    """Record the line times bench/gpu/device_check.sh measured (its gpu.json, parsed).

    Only lines the exercise folder still has are recorded, labelled as the folder labels them.
    """
    report = LinesReport()
    for folder in _exercises_with_lines(root, slugs):
        exercise = load_exercise(folder)
        lines = exercise_lines(exercise)
        row = _catalogued(exercise.slug)
        if row is None:
            report.failed.append(f"{exercise.slug}: {NOT_SYNCED}")
            continue
        try:
            times = device_check_lines(document, exercise.slug, exercise_version=exercise.version)
        except LineError as exc:
            report.failed.append(str(exc))
            continue
        measured = {timed.name: timed for timed in times}
        for name, line in lines.items():
            timed = measured.get(name)
            if timed is None:
                report.failed.append(f"{exercise.slug} {name}: not timed by the device check")
                continue
            report.recorded.append(_record(row, name, line, timed, LineTime.MeasuredBy.DEVICE_CHECK))
    return report


def _record(row, name: str, line, timed, measured_by) -> LineTime:
    """One timed line stored under the label its folder gives it."""
    return line_time_record(
        exercise=row,
        name=name,
        label=line.label,
        seconds=timed.seconds,
        device=timed.device,
        exercise_version=timed.exercise_version,
        measured_at=timed.measured_at,
        measured_by=measured_by,
    )
