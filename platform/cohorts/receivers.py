"""A submission deleted (in the admin, or with its author's account) leaves the grade books it counted in."""

from __future__ import annotations

from django.db.models.signals import post_delete

from cohorts.grades_version import grades_changed


def _submission_deleted(sender, instance, **kwargs) -> None:
    grades_changed(user_ids=[instance.user_id], exercise_ids=[instance.exercise_id])


def connect() -> None:
    post_delete.connect(_submission_deleted, sender="submissions.Submission", dispatch_uid="cohorts-grades-on-delete")
