"""Keeping BestResult current when a submission is graded."""

from __future__ import annotations

from django.db.models import Q

from cohorts.models import CohortExercise
from leaderboards.models import BestResult


def counting_cohorts(submission) -> list[int]:
    """Cohorts whose score this submission counts for: the learner is a member, the
    cohort includes the exercise, and it was submitted within the cohort's dates and
    before the exercise's deadline (later ones are practice)."""
    when = submission.created_at
    return list(
        CohortExercise.objects.filter(
            exercise_id=submission.exercise_id,
            cohort__memberships__user_id=submission.user_id,
            cohort__memberships__role="learner",
            cohort__starts_at__lte=when,
        )
        .filter(Q(cohort__ends_at__isnull=True) | Q(cohort__ends_at__gte=when))
        .filter(Q(deadline__isnull=True) | Q(deadline__gte=when))
        .values_list("cohort_id", flat=True)
    )


def _better(score: float, time_value: float | None, best: BestResult) -> bool:
    """Ranking rule: higher score first, then lower time (performance exercises)."""
    if score != best.score:
        return score > best.score
    if time_value is None:
        return False
    return best.time_value is None or time_value < best.time_value


def best_result_update(*, submission) -> None:
    """Fold one graded submission into the learner's global and cohort bests (caller holds a transaction)."""
    scopes = [None] + counting_cohorts(submission)
    for cohort_id in scopes:
        score = submission.score or 0.0
        when = submission.graded_at
        # get_or_create is safe against two workers grading the same learner's attempts at once
        # (it retries the read when the insert loses the race); the row is then locked to update it.
        best, created = BestResult.objects.get_or_create(
            user_id=submission.user_id,
            exercise_id=submission.exercise_id,
            cohort_id=cohort_id,
            defaults={
                "score": score,
                "time_value": submission.time_value,
                "reached_at": when,
                "submission": submission,
                "attempts": 1,
                "last_activity": when,
            },
        )
        if created:
            continue
        best = BestResult.objects.select_for_update().get(pk=best.pk)
        best.attempts += 1
        best.last_activity = max(best.last_activity, when)
        fields = ["attempts", "last_activity"]
        if best.submission_id == submission.id:  # a re-grade of the best submission itself
            best.score, best.time_value = score, submission.time_value
            fields += ["score", "time_value"]
        elif _better(score, submission.time_value, best):
            best.score, best.time_value, best.reached_at, best.submission = (
                score,
                submission.time_value,
                when,
                submission,
            )
            fields += ["score", "time_value", "reached_at", "submission"]
        best.save(update_fields=fields)
