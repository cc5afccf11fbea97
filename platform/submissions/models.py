"""A submission and its journey: queued -> running -> graded | error.

Transitions happen only in submissions.services (see the state machine there).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Submission(models.Model):
    QUEUED, RUNNING, GRADED, ERROR = "queued", "running", "graded", "error"
    STATUS_CHOICES = [(QUEUED, "queued"), (RUNNING, "running"), (GRADED, "graded"), (ERROR, "error")]
    LIVE, REGRADE = "live", "regrade"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions")
    exercise = models.ForeignKey("catalog.Exercise", on_delete=models.PROTECT, related_name="submissions")
    exercise_version = models.ForeignKey("catalog.ExerciseVersion", on_delete=models.PROTECT, related_name="+")
    cohort = models.ForeignKey(
        "cohorts.Cohort", null=True, blank=True, on_delete=models.SET_NULL, related_name="submissions"
    )
    source = models.TextField()
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=QUEUED)
    lane = models.CharField(max_length=10, default=LIVE)
    counts = models.BooleanField(default=True, help_text="False for practice after a cohort deadline.")
    verdict = models.CharField(max_length=24, blank=True)
    score = models.FloatField(null=True, blank=True)
    max_score = models.FloatField(null=True, blank=True)
    time_value = models.FloatField(null=True, blank=True, help_text="Performance metric in seconds.")
    result = models.JSONField(null=True, blank=True)
    previous_results = models.JSONField(default=list, blank=True)
    error_message = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    worker = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="Last sign of life of its worker.")
    # The six timestamps of the journey.
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
            models.Index(fields=["exercise", "status"]),
            models.Index(fields=["cohort", "exercise"]),
        ]

    def __str__(self) -> str:
        return f"{self.exercise_id}:{self.id}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.GRADED, self.ERROR)
