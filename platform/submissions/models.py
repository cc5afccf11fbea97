"""A submission and its journey: queued -> running -> graded | error.

Transitions happen only in submissions.services (through its one transition function).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Status(models.TextChoices):
    """Where a submission is in its journey (the database stores these strings)."""

    QUEUED = "queued"
    RUNNING = "running"
    GRADED = "graded"
    ERROR = "error"


FINISHED = (Status.GRADED, Status.ERROR)  # no worker will touch it again (until a re-grade)


class Lane(models.TextChoices):
    LIVE = "live"
    REGRADE = "regrade"


class Submission(models.Model):
    Status = Status
    Lane = Lane
    # Short aliases of the enum members, used across the platform (the enum is the one source).
    QUEUED, RUNNING, GRADED, ERROR = Status.QUEUED, Status.RUNNING, Status.GRADED, Status.ERROR
    LIVE, REGRADE = Lane.LIVE, Lane.REGRADE

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions")
    exercise = models.ForeignKey("catalog.Exercise", on_delete=models.PROTECT, related_name="submissions")
    exercise_version = models.ForeignKey("catalog.ExerciseVersion", on_delete=models.PROTECT, related_name="+")
    cohort = models.ForeignKey(
        "cohorts.Cohort", null=True, blank=True, on_delete=models.SET_NULL, related_name="submissions"
    )
    source = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    lane = models.CharField(max_length=10, choices=Lane.choices, default=Lane.LIVE)
    counts = models.BooleanField(default=True, help_text="False for practice after a cohort deadline.")
    # The current grading; earlier ones are kept whole in Grading rows.
    verdict = models.CharField(max_length=24, blank=True)
    score = models.FloatField(null=True, blank=True)
    max_score = models.FloatField(null=True, blank=True)
    time_value = models.FloatField(null=True, blank=True, help_text="Performance metric in seconds.")
    result = models.JSONField(null=True, blank=True)
    error_message = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0, help_text="Claims by a worker, over all gradings.")
    worker = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="Last sign of life of its worker.")
    sent_at = models.DateTimeField(null=True, blank=True, help_text="Last time its task was sent (for the sweep).")
    # The six timestamps of the current grading's journey.
    created_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    sandbox_started_at = models.DateTimeField(null=True, blank=True)
    sandbox_finished_at = models.DateTimeField(null=True, blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "exercise", "-created_at"]),
            models.Index(fields=["status", "queued_at"]),
            models.Index(fields=["status", "sent_at"]),
            models.Index(fields=["exercise", "status"]),
            models.Index(fields=["cohort", "exercise"]),
        ]

    def __str__(self) -> str:
        return f"{self.exercise_id}:{self.id}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED


class Grading(models.Model):
    """One finished grading of a submission, kept whole: a re-grade adds a row and overwrites none.

    Written in the same transaction as the submission's move to graded or error.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="gradings")
    lane = models.CharField(max_length=10, choices=Lane.choices)
    status = models.CharField(max_length=10, choices=Status.choices, help_text="graded or error")
    verdict = models.CharField(max_length=24, blank=True)
    score = models.FloatField(null=True, blank=True)
    max_score = models.FloatField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    error_message = models.TextField(blank=True)
    attempt = models.PositiveIntegerField(help_text="The submission's claim number that finished it.")
    worker = models.CharField(max_length=200, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    sandbox_started_at = models.DateTimeField(null=True, blank=True)
    sandbox_finished_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField()

    class Meta:
        ordering = ["submission", "finished_at"]
        indexes = [models.Index(fields=["submission", "finished_at"]), models.Index(fields=["finished_at"])]

    def __str__(self) -> str:
        return f"{self.submission_id}@{self.finished_at:%Y-%m-%d %H:%M:%S}"


class SubmissionDiagnosis(models.Model):
    """A likely mistake the grader named in the submission's current grading (replaced on re-grade).

    One row per distinct diagnosis, so dashboards count the submissions that made a mistake
    with one GROUP BY.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="diagnoses")
    diagnosis = models.CharField(max_length=100)
    message = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "diagnosis"], name="one_row_per_diagnosis")]
        indexes = [models.Index(fields=["diagnosis"])]

    def __str__(self) -> str:
        return f"{self.submission_id}:{self.diagnosis}"
