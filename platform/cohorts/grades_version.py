"""The grades version of a cohort: what its cached grade book is checked against.

A cohort's grade book (cohorts.selectors.grade_book.cohort_grade_book) is everything the instructor's
dashboard reads from the submissions that count: best score, attempts and last activity per
learner and exercise, verdicts, common mistakes. It is cached under the cohort's learners, its
exercise links (deadlines included) and this version, so a join, a leave or a moved deadline
retires it by itself, and a change to the submissions retires it by calling `grades_changed`:
a grading, a submission sent to re-grade, a submission deleted.

The version is written in the same transaction as the change, and last in it, so no reader
can see the new version with the old grades, nor hold the version row while it waits for a
submission.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from cohorts.models import CohortExercise, GradesVersion, Membership


def grades_changed(*, user_ids: Iterable[int], exercise_ids: Iterable[int]) -> None:
    """The grades of these learners on these exercises changed: a new version for every cohort they may count for."""
    cohorts = sorted(
        CohortExercise.objects.filter(
            exercise_id__in=list(exercise_ids),
            cohort_id__in=Membership.objects.filter(user_id__in=list(user_ids), role=Membership.LEARNER).values(
                "cohort_id"
            ),
        )
        .values_list("cohort_id", flat=True)
        .distinct()
    )
    if cohorts:
        # One upsert, in cohort order: two gradings that share cohorts take their rows in the same order.
        GradesVersion.objects.bulk_create(
            [GradesVersion(cohort_id=cohort_id, token=uuid.uuid4()) for cohort_id in cohorts],
            update_conflicts=True,
            unique_fields=["cohort"],
            update_fields=["token"],
        )


def grades_version(*, cohort_id: int) -> str:
    """The cohort's current version ("" until its first change: nothing it counts has changed since then)."""
    token = GradesVersion.objects.filter(cohort_id=cohort_id).values_list("token", flat=True).first()
    return token.hex if token else ""
