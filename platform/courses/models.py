"""Courses own exercises; instructors push versions of them, which are checked in a sandbox.

A course has staff (an owner and editors); only they change it. An exercise belongs to one
course. Every push stores each exercise folder as an immutable, content-addressed version
(catalog.ExerciseVersion) and checks it in an exercise sandbox (grader.exercise_sandbox):
only a version that passed can be published (made the exercise's current version).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    OWNER = "owner"
    EDITOR = "editor"


class Course(models.Model):
    slug = models.SlugField(unique=True, max_length=80)
    title = models.CharField(max_length=200)
    is_public = models.BooleanField(default=False, help_text="Public courses' exercises are open to every cohort.")
    created_at = models.DateTimeField(default=timezone.now)
    repository_url = models.CharField(max_length=500, blank=True, help_text="A git repository the course follows.")
    repository_branch = models.CharField(max_length=200, blank=True, default="main")
    publish_on_sync = models.BooleanField(default=True, help_text="A sync publishes each version that passes.")
    webhook_secret = models.CharField(max_length=64, blank=True, help_text="Signs the repository's push webhook.")

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug


class CourseStaff(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_roles")
    role = models.CharField(max_length=10, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "user"], name="one_role_per_course_member")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} of {self.course_id}"


class Push(models.Model):
    """One upload of a folder of exercise folders to a course (CLI, zip upload or git sync)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="pushes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    publish = models.BooleanField(default=False, help_text="Publish each exercise whose check passes.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"push {self.id} to {self.course_id}"


class PushedExercise(models.Model):
    """One exercise folder of a push: the version it stored, or why nothing was stored.

    How the check went is the version's own fact (catalog.ExerciseVersion.check_status).
    """

    push = models.ForeignKey(Push, on_delete=models.CASCADE, related_name="exercises")
    slug = models.SlugField(max_length=80)
    version = models.ForeignKey("catalog.ExerciseVersion", null=True, on_delete=models.SET_NULL, related_name="+")
    refused = models.TextField(blank=True, help_text="Why this folder was refused before any version was stored.")
    published = models.BooleanField(default=False)

    class Meta:
        ordering = ["push", "slug"]
        constraints = [models.UniqueConstraint(fields=["push", "slug"], name="one_entry_per_exercise_and_push")]

    def __str__(self) -> str:
        return f"{self.slug} in {self.push_id}: {self.status}"

    @property
    def status(self) -> str:
        from catalog.models import CheckStatus

        return CheckStatus.FAILED if self.version is None else self.version.check_status

    @property
    def reason(self) -> str:
        return self.refused if self.version is None else self.version.check_reason

    @property
    def finished(self) -> bool:
        from catalog.models import CheckStatus

        return self.status in (CheckStatus.PASSED, CheckStatus.FAILED)
