"""Accounts: creating users with their profile, choosing a public name."""

from __future__ import annotations

import unicodedata

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Profile, display_key, looks_like_pseudonym
from accounts.names import mixes_scripts

User = get_user_model()


@transaction.atomic
def user_create(
    *, username: str, email: str, password: str, is_instructor: bool = False, display_name: str = ""
) -> User:
    display_name = display_name_clean(display_name)
    user = User.objects.create_user(username=username, email=email, password=password)
    Profile.objects.create(user=user, is_instructor=is_instructor, display_name=display_name)
    return user


def display_name_clean(display_name: str, *, user=None) -> str:
    """The display name to store, or ValidationError: not a pseudonym look-alike, not another learner's name."""
    display_name = display_name.strip()
    if len(display_name) > 40:
        raise ValidationError("A display name has at most 40 characters.")
    if not display_name:
        return ""
    if looks_like_pseudonym(display_name):
        raise ValidationError("Names of the form learner-<number> are reserved for learners without a display name.")
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in display_name):
        raise ValidationError("A display name cannot contain control or invisible characters.")
    if mixes_scripts(unicodedata.normalize("NFKC", display_name)):
        raise ValidationError(
            "A display name is written in one script (letters of one alphabet, such as Latin or Cyrillic), "
            "so that it cannot imitate another name."
        )
    taken = Profile.objects.filter(display_key=display_key(display_name))
    if user is not None:
        taken = taken.exclude(user=user)
    if taken.exists():
        raise ValidationError("That display name is taken.")
    return display_name


def profile_get(*, user) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def profile_update(*, user, display_name: str) -> Profile:
    """Choose the public name (empty: the default pseudonym learner-<id>)."""
    display_name = display_name_clean(display_name, user=user)
    profile = profile_get(user=user)
    profile.display_name = display_name
    profile.save(update_fields=["display_name"])
    return profile


def is_instructor(user) -> bool:
    return bool(user.is_authenticated and (user.is_staff or profile_get(user=user).is_instructor))
