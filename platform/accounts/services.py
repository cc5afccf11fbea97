"""Accounts: creating users with their profile, choosing a public name."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Profile

User = get_user_model()


@transaction.atomic
def user_create(
    *, username: str, email: str, password: str, is_instructor: bool = False, display_name: str = ""
) -> User:
    user = User.objects.create_user(username=username, email=email, password=password)
    Profile.objects.create(user=user, is_instructor=is_instructor, display_name=display_name)
    return user


def profile_get(*, user) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def profile_update(*, user, display_name: str) -> Profile:
    display_name = display_name.strip()
    if len(display_name) > 40:
        raise ValidationError("A display name has at most 40 characters.")
    if display_name and Profile.objects.filter(display_name__iexact=display_name).exclude(user=user).exists():
        raise ValidationError("That display name is taken.")
    profile = profile_get(user=user)
    profile.display_name = display_name
    profile.save(update_fields=["display_name"])
    return profile


def is_instructor(user) -> bool:
    return bool(user.is_authenticated and (user.is_staff or profile_get(user=user).is_instructor))
