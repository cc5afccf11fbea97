"""Keeping BestResult current: each row is recomputed from the submissions it summarises.

A row is a pure function of the learner's graded submissions of one exercise (all of
them for the global board; those that count by the cohort counting rule, in
cohorts.selectors, for a cohort board), so a re-grade, a late join or a moved
deadline can never leave a stale number behind: each of them refreshes the rows.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Max

from cohorts.models import CohortExercise, Membership
from cohorts.selectors import counting_cohort_ids, counting_submissions
from leaderboards.models import BestResult
from submissions.models import Submission


def counting_cohorts(submission: Submission) -> list[int]:
    """Cohorts whose boards this submission counts for (the cohort counting rule)."""
    return counting_cohort_ids(submission=submission)


def _ranking_order() -> list:
    """Ranking rule within one learner's attempts: higher score, lower time, submitted first."""
    return [F("score").desc(nulls_last=True), F("time_value").asc(nulls_last=True), "created_at", "id"]


def _summary(candidates) -> dict | None:
    best = candidates.order_by(*_ranking_order()).first()
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
