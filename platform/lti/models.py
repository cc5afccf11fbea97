"""What tensordojo keeps about LTI 1.3 beyond django-lti's own tables (registrations,
deployments, LTI users, contexts, resource links).

- LtiAccount: the tensordojo account an LTI identity (a platform's `sub`) logs in as.
- Placement: what a resource link in a course shows (one exercise or a whole track) and
  the line item its scores go to.
- GradeTarget: one learner's seat on a placement (the AGS `userId` to post scores for).
- ScoreSend: each score sent back, with the platform's answer, for the admin to read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LtiAccount(models.Model):
    lti_user = models.OneToOneField("lti_tool.LtiUser", on_delete=models.CASCADE, related_name="tensordojo_account")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_accounts")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.lti_user} -> {self.user}"


class Placement(models.Model):
    resource_link = models.OneToOneField(
        "lti_tool.LtiResourceLink", on_delete=models.CASCADE, related_name="tensordojo_placement"
    )
    exercise = models.ForeignKey("catalog.Exercise", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    track = models.ForeignKey("catalog.Track", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    lineitem_url = models.URLField(max_length=500, blank=True, help_text="AGS line item the scores go to.")
    can_publish_scores = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.resource_link}: {self.exercise or self.track or '-'}"


class GradeTarget(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_grade_targets")
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="targets")
    lti_user = models.ForeignKey("lti_tool.LtiUser", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "placement"], name="unique_grade_target")]


class ScoreSend(models.Model):
    target = models.ForeignKey(GradeTarget, on_delete=models.CASCADE, related_name="sends")
    submission = models.ForeignKey("submissions.Submission", null=True, on_delete=models.SET_NULL, related_name="+")
    score_given = models.FloatField()
    score_maximum = models.FloatField()
    ok = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]


class RegistrationRequest(models.Model):
    """Who registered an LMS from the site: an instructor sees the registrations they asked for (and
    whether an operator has approved them), never other schools'."""

    registration = models.OneToOneField(
        "lti_tool.LtiRegistration", on_delete=models.CASCADE, related_name="tensordojo_request"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.registration} by {self.requested_by_id}"
