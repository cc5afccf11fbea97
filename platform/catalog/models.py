"""Tracks and exercises as loaded from exercise folders, versioned by content hash."""

from __future__ import annotations

from django.db import models


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
    is_active = models.BooleanField(default=True, help_text="Inactive exercises are hidden (folder removed).")
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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["exercise", "version"], name="unique_exercise_version")]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.exercise.slug}@{self.version}"
