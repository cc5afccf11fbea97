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


class LineTime(models.Model):
    """A line on an exercise's board: our own code (exercises/<slug>/lines/<name>.py) and the time it took.

    One row per line, replaced by each new measurement; ``exercise_version`` says which content
    of the exercise (its timed shapes) the time was taken on.
    """

    class MeasuredBy(models.TextChoices):
        WORKER = "worker", "a worker, graded like a submission"
        DEVICE_CHECK = "device_check", "the device check (bench/gpu/device_check.sh), in process"

    exercise = models.ForeignKey("catalog.Exercise", on_delete=models.CASCADE, related_name="line_times")
    name = models.CharField(max_length=80, help_text="The line file's name: lines/<name>.py.")
    label = models.CharField(max_length=200)
    seconds = models.FloatField(help_text="Geometric mean over the timed shapes of each shape's median.")
    device = models.CharField(max_length=200)
    exercise_version = models.CharField(max_length=32)
    measured_at = models.DateTimeField()
    measured_by = models.CharField(max_length=20, choices=MeasuredBy.choices, default=MeasuredBy.WORKER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["exercise", "name"], name="unique_line_per_exercise")]
        ordering = ["exercise", "seconds"]

    def __str__(self) -> str:
        return f"{self.exercise_id} line {self.name}: {self.seconds:.6f} s on {self.device}"
