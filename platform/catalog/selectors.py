"""Reads for the catalogue pages."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from catalog.models import Exercise, Track
from leaderboards.models import BestResult


def track_list() -> QuerySet[Track]:
    return Track.objects.prefetch_related(
        Prefetch("exercises", queryset=Exercise.objects.filter(is_active=True).order_by("order"))
    )


def exercise_get(*, slug: str) -> Exercise:
    return Exercise.objects.select_related("current_version", "track").get(slug=slug, is_active=True)


def progress_for(*, user) -> dict[int, BestResult]:
    """The learner's best result per exercise (outside cohorts), keyed by exercise id."""
    if not user.is_authenticated:
        return {}
    return {b.exercise_id: b for b in BestResult.objects.filter(user=user, cohort__isnull=True)}
