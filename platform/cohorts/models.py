"""Cohorts: a group of learners run by instructors, with a join code and deadlines."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(8))


class Cohort(models.Model):
    name = models.CharField(max_length=120)
    join_code = models.CharField(max_length=12, unique=True, default=new_join_code)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    exercises = models.ManyToManyField("catalog.Exercise", through="CohortExercise", related_name="cohorts")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    LEARNER, INSTRUCTOR = "learner", "instructor"
    ROLE_CHOICES = [(LEARNER, "learner"), (INSTRUCTOR, "instructor")]

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=ROLE_CHOICES, default=LEARNER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cohort", "user"], name="unique_membership")]
        indexes = [models.Index(fields=["user", "role"])]


class CohortExercise(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="cohort_exercises")
    exercise = models.ForeignKey("catalog.Exercise", on_delete=models.CASCADE, related_name="+")
    deadline = models.DateTimeField(null=True, blank=True, help_text="Later submissions are practice only.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cohort", "exercise"], name="unique_cohort_exercise")]


class GradesVersion(models.Model):
    """A token that changes whenever a grade that may count for the cohort changes.

    Written by cohorts.grades_version.grades_changed (a grading, a re-grade queued, a submission
    deleted); the cached grade book (cohorts.selectors.grade_book.cohort_grade_book) is valid only for the
    token it was computed under. A row of its own, not a column of Cohort: a grading writes it
    last in its transaction, while an edit of the cohort locks the Cohort row first and then
    recounts submissions, so one shared row would let the two deadlock.
    """

    cohort = models.OneToOneField(Cohort, primary_key=True, on_delete=models.CASCADE, related_name="+")
    token = models.UUIDField(default=uuid.uuid4)
