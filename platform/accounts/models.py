"""A learner's or instructor's profile beside Django's user."""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.db import models


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(
        max_length=40, blank=True, help_text="Pseudonym shown on public leaderboards; empty: 'learner-<id>'."
    )
    display_key = models.CharField(
        max_length=40, blank=True, db_index=True, editable=False, help_text="display_name compared loosely."
    )
    is_instructor = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.public_name

    def save(self, *args, **kwargs):
        # The comparison key follows the name on every path (services, admin, shell).
        self.display_key = display_key(self.display_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "display_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "display_key"}
        super().save(*args, **kwargs)

    @property
    def public_name(self) -> str:
        return self.display_name or f"learner-{self.user_id}"


def display_key(name: str) -> str:
    """How two display names are compared: compatibility-normalised, case-folded, spacing collapsed.

    "Matrix  Cat", "matrix cat" and "ＭＡＴＲＩＸ cat" (full-width letters) share one key.
    """
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())[:40]


def looks_like_pseudonym(name: str) -> bool:
    """True for `learner-<digits>` in any case, spacing or punctuation: the names we give by default."""
    letters = "".join(ch for ch in display_key(name) if ch.isalnum())
    return re.fullmatch(r"learner[0-9]+", letters, flags=re.ASCII) is not None
