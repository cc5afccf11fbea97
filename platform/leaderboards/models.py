"""Each learner's best result per exercise (and per cohort), kept up to date on grading.

Boards read this small table, one row per learner and exercise, instead of
scanning every submission: they stay fast with hundreds of thousands of them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class BestResult(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="best_results")
    exercise = models.ForeignKey("catalog.Exercise", on_delete=models.CASCADE, related_name="best_results")
    cohort = models.ForeignKey(
        "cohorts.Cohort", null=True, blank=True, on_delete=models.CASCADE, related_name="best_results"
    )
    score = models.FloatField()
    time_value = models.FloatField(null=True, blank=True)
    reached_at = models.DateTimeField(help_text="When this score (and time) was first reached.")
    submission = models.ForeignKey("submissions.Submission", on_delete=models.CASCADE, related_name="+")
    attempts = models.PositiveIntegerField(default=0)
    last_activity = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "exercise", "cohort"], name="unique_best_per_cohort"),
            models.UniqueConstraint(
                fields=["user", "exercise"], condition=models.Q(cohort__isnull=True), name="unique_best_global"
            ),
        ]
        indexes = [
            # Each board's full ordering (user last, the final tie-break), so a top-100 is an index range
            # scan. The global board gets a partial index: PostgreSQL cannot order by an index past an
            # `IS NULL` column, only past equalities.
            models.Index(
                fields=["exercise", "-score", "time_value", "reached_at", "user"],
                condition=models.Q(cohort__isnull=True),
                name="board_global",
            ),
            models.Index(
                fields=["exercise", "cohort", "-score", "time_value", "reached_at", "user"], name="board_cohort"
            ),
            models.Index(fields=["cohort", "user"]),
        ]
