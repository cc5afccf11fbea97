"""Who sees which exercises: the one rule every page, board and endpoint reads.

A learner sees the published exercises of public courses, and those of the courses that a
cohort they belong to uses; a course's staff see their own course's published exercises
(its unpublished versions they see in the course's preview, courses.views); site staff see
all; an anonymous visitor sees public courses only. Anyone else is told that there is no
such exercise (a 404, never a 403 that would confirm it exists).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from catalog.models import Exercise


def exercises_visible_to(*, user) -> QuerySet[Exercise]:
    """The published exercises ``user`` may see, practise and submit to (anonymous: public courses only)."""
    published = Exercise.objects.filter(is_active=True)
    public = Q(course__isnull=True) | Q(course__is_public=True)  # no course: loaded before courses existed
    if not user.is_authenticated:
        return published.filter(public)
    if user.is_staff:
        return published
    from cohorts.models import CohortExercise
    from courses.models import CourseStaff

    # Subqueries, not joins: a learner in many cohorts would otherwise see each exercise once per cohort.
    cohort_courses = CohortExercise.objects.filter(cohort__memberships__user=user).values("exercise__course_id")
    own_courses = CourseStaff.objects.filter(user=user).values("course_id")
    return published.filter(public | Q(course_id__in=cohort_courses) | Q(course_id__in=own_courses))


def exercise_visible_get(*, user, slug: str) -> Exercise:
    """The exercise ``slug`` if ``user`` may see it; Exercise.DoesNotExist otherwise (whether or not it exists)."""
    return exercises_visible_to(user=user).select_related("current_version", "track").get(slug=slug)
