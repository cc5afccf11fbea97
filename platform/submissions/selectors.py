"""Reads of submissions, with who may see what."""

from __future__ import annotations

import difflib

from django.db.models import QuerySet

from cohorts.selectors import instructor_sees_submission
from submissions.models import Submission


def submission_latest(*, user, exercise) -> Submission | None:
    return Submission.objects.filter(user=user, exercise=exercise).order_by("-created_at").first()


def submissions_for_exercise(*, user, exercise) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(user=user, exercise=exercise)
        .order_by("-created_at")
        .only("id", "status", "verdict", "score", "max_score", "created_at", "time_value", "counts", "exercise_id")
    )


def can_view_submission(*, user, submission: Submission) -> bool:
    """The author, staff, or an instructor of a cohort the submission counts for (cohorts' counting rule)."""
    if not user.is_authenticated:
        return False
    if submission.user_id == user.id or user.is_staff:
        return True
    return instructor_sees_submission(user=user, submission=submission)


def submission_previous(*, submission: Submission) -> Submission | None:
    return (
        Submission.objects.filter(
            user_id=submission.user_id, exercise_id=submission.exercise_id, created_at__lt=submission.created_at
        )
        .order_by("-created_at")
        .first()
    )


def source_diff(*, older: Submission, newer: Submission) -> list[tuple[str, str]]:
    """Unified diff lines with a kind (add, del, hunk, ctx) for colouring."""
    lines = difflib.unified_diff(
        older.source.splitlines(),
        newer.source.splitlines(),
        fromfile="previous attempt",
        tofile="this attempt",
        lineterm="",
        n=2,
    )
    out = []
    for line in lines:
        kind = (
            "hunk"
            if line.startswith("@@")
            else "add"
            if line.startswith("+")
            else "del"
            if line.startswith("-")
            else "ctx"
        )
        out.append((kind, line))
    return out


def submission_timeline(submission: Submission) -> list[tuple[str, object]]:
    return [
        ("created", submission.created_at),
        ("queued", submission.queued_at),
        ("started", submission.started_at),
        ("sandbox started", submission.sandbox_started_at),
        ("sandbox finished", submission.sandbox_finished_at),
        ("graded", submission.graded_at),
    ]
