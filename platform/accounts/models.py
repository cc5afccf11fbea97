"""A learner's or instructor's profile beside Django's user."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(
        max_length=40, blank=True, help_text="Pseudonym shown on public leaderboards; empty: 'learner-<id>'."
    )
    is_instructor = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        return self.display_name or f"learner-{self.user_id}"
