"""Tracks and exercises as loaded from exercise folders, versioned by content hash."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CheckStatus(models.TextChoices):
    """Where an exercise version stands with its check (run in an exercise sandbox, never here)."""

    PENDING = "pending"
    CHECKING = "checking"
    PASSED = "passed"
    FAILED = "failed"


class Track(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.title


class Exercise(models.Model):
    KIND_CHOICES = [("implement", "implement"), ("fix", "fix"), ("performance", "performance")]
    DIFFICULTY_CHOICES = [("easy", "easy"), ("medium", "medium"), ("hard", "hard")]

    slug = models.SlugField(unique=True, max_length=80)
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="exercises")
    title = models.CharField(max_length=200)
    order = models.PositiveIntegerField()
    difficulty = models.CharField(max_length=10, choices=DIFFICULTY_CHOICES)
    kind = models.CharField(max_length=12, choices=KIND_CHOICES)
    summary = models.TextField(blank=True)
    gpu = models.BooleanField(default=False)
    points = models.FloatField(default=10)
    leaderboard_metric = models.CharField(max_length=10, default="score")
    entry_points = models.JSONField(default=list)
    lesson = models.CharField(max_length=80, blank=True, help_text="Anchor of the lesson section it practises.")
    prerequisites = models.JSONField(default=list, blank=True, help_text="Slugs to do first.")
    minutes = models.PositiveIntegerField(null=True, blank=True, help_text="Estimated time to solve.")
    is_active = models.BooleanField(default=True, help_text="Inactive exercises are hidden (folder removed).")
    course = models.ForeignKey(
        "courses.Course", null=True, blank=True, on_delete=models.PROTECT, related_name="exercises"
    )
    current_version = models.ForeignKey(
        "ExerciseVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["track__order", "order", "slug"]

    def __str__(self) -> str:
        return self.slug

    @property
    def is_performance(self) -> bool:
        return self.leaderboard_metric == "time"


class ExerciseVersion(models.Model):
    """One content hash of an exercise folder; submissions point at the version they ran against."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="versions")
    version = models.CharField(max_length=32)
    statement_md = models.TextField()
    statement_html = models.TextField()
    starter = models.TextField()
    config = models.JSONField(default=dict)
    hints_html = models.JSONField(default=list, blank=True, help_text="Rendered hints, in unlock order.")
    explanation_html = models.TextField(blank=True)
    solution = models.TextField(blank=True, help_text="The reference solution: shown only once the explanation opens.")
    archive = models.CharField(
        max_length=200, blank=True, help_text="The folder's files, stored by content hash (catalog.versions)."
    )
    check_status = models.CharField(max_length=10, choices=CheckStatus.choices, default=CheckStatus.PENDING)
    check_reason = models.TextField(blank=True, help_text="Why the check failed, in one line.")
    check_report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["exercise", "version"], name="unique_exercise_version")]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.exercise.slug}@{self.version}"


class HintUnlock(models.Model):
    """A learner asked for hint number ``index`` (0-based) of an exercise. Never changes a score."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hint_unlocks")
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="hint_unlocks")
    index = models.PositiveSmallIntegerField()
    unlocked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "exercise", "index"], name="unique_hint_unlock")]
        indexes = [models.Index(fields=["exercise", "user"])]
        ordering = ["exercise", "user", "index"]

    def __str__(self) -> str:
        return f"{self.user_id} hint {self.index + 1} of {self.exercise_id}"


class LessonSection(models.Model):
    """One section of the lesson (exercises/lesson/NN-<anchor>.md), rendered; synced with the exercises."""

    anchor = models.SlugField(unique=True, max_length=80)
    title = models.CharField(max_length=200)
    order = models.PositiveIntegerField()
    html = models.TextField()
    exercises = models.JSONField(default=list, blank=True, help_text="Slugs of the exercises that practise it.")

    class Meta:
        ordering = ["order", "anchor"]

    def __str__(self) -> str:
        return self.title
