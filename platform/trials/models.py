"""A trial run: the learner's code on the visible cases only. It is no attempt.

A trial is the "trial" lane of the one pipeline (submissions.pipeline): same intake,
task, claim, heartbeat, retries, sweep and warm pool as a submission. Its rows stay in
their own table so that no count, best result, leaderboard, grade book or history
query (they all read Submission) can ever see one; they are kept only so that the page
(or the CLI) can fetch the result once it is ready, and dropped after a day.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class TrialStatus(models.TextChoices):
    QUEUED = "queued", "waiting for a grader"
    RUNNING = "running", "running"
    DONE = "done", "done"
    ERROR = "error", "could not run"


class TrialRun(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trial_runs")
    exercise = models.ForeignKey("catalog.Exercise", on_delete=models.CASCADE, related_name="trial_runs")
    exercise_version = models.ForeignKey(
        "catalog.ExerciseVersion",
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The version the run was made against: the worker runs exactly this one.",
    )
    source = models.TextField()
    status = models.CharField(max_length=10, choices=TrialStatus.choices, default=TrialStatus.QUEUED)
    result = models.JSONField(null=True, blank=True)
    error_message = models.TextField(blank=True)
    # The pipeline's columns (the same as a submission's): claims, sign of life, last send.
    attempts = models.PositiveIntegerField(default=0, help_text="Claims by a worker.")
    worker = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="Last sign of life of its worker.")
    sent_at = models.DateTimeField(null=True, blank=True, help_text="Last time its task was sent (for the sweep).")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["status", "sent_at"]),
        ]

    def __str__(self) -> str:
        return f"trial {self.id} of {self.exercise_id}"

    @property
    def is_finished(self) -> bool:
        return self.status in (TrialStatus.DONE, TrialStatus.ERROR)


class VisibleCaseSet(models.Model):
    """The visible cases of one exercise version with the reference's outputs, for offline runs.

    Only visible cases are ever written here (trials.services.visible_cases_build).
    """

    exercise_version = models.OneToOneField(
        "catalog.ExerciseVersion", on_delete=models.CASCADE, related_name="visible_case_set"
    )
    cases = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"visible cases of {self.exercise_version}"
