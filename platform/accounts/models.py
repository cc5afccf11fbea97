"""A learner's or instructor's profile beside Django's user."""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.db import models

from accounts.names import skeleton

KEY_LENGTH = 200  # a skeleton can be longer than its name ("m" is "rn")


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(
        max_length=40, blank=True, help_text="Pseudonym shown on public leaderboards; empty: 'learner-<id>'."
    )
    display_key = models.CharField(
        max_length=KEY_LENGTH,
        blank=True,
        db_index=True,
        editable=False,
        help_text="display_name as it looks: compared by this key (accounts.names.skeleton).",
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


def _loose(name: str) -> str:
    """Compatibility-normalised, case-folded, spacing collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def display_key(name: str) -> str:
    """How two display names are compared: as they look (the UTS #39 skeleton), whatever the case or spacing.

    "Matrix  Cat", "matrix cat", "ＭＡＴＲＩＸ cat" (full-width letters) and "Mаtrix Cat" (a Cyrillic а)
    share one key.
    """
    return skeleton(_loose(name)).casefold()[:KEY_LENGTH]


_PSEUDONYM_WORD = skeleton("learner")


def looks_like_pseudonym(name: str) -> bool:
    """True for what looks like `learner-<digits>` in any case, spacing, punctuation or look-alike letters."""
    letters = "".join(ch for ch in _loose(name) if ch.isalnum())
    match = re.fullmatch(r"(.+?)(\d+)", letters)
    return match is not None and skeleton(match[1]).casefold() == _PSEUDONYM_WORD
