"""What an instructor sees of their courses."""

from __future__ import annotations

from dataclasses import dataclass

from catalog.models import Exercise, ExerciseVersion
from courses.models import Course, Push


def exercises_usable_by(*, user):
    """The published exercises a cohort of ``user``'s may use: public courses' and their own courses'."""
    from django.db.models import Q

    usable = Exercise.objects.filter(is_active=True)
    if user.is_staff:
        return usable
    return usable.filter(Q(course__is_public=True) | Q(course__isnull=True) | Q(course__staff__user=user)).distinct()


def courses_of(*, user) -> list[Course]:
    if user.is_staff:
        return list(Course.objects.all())
    return list(Course.objects.filter(staff__user=user).distinct())


@dataclass
class ExerciseRow:
    exercise: Exercise
    latest: ExerciseVersion | None

    @property
    def can_publish(self) -> bool:
        return (
            self.latest is not None
            and self.latest.check_status == "passed"
            and self.exercise.current_version_id != self.latest.id
        )


def course_exercises(*, course: Course) -> list[ExerciseRow]:
    rows = []
    for exercise in Exercise.objects.filter(course=course).select_related("current_version").order_by("slug"):
        latest = ExerciseVersion.objects.filter(exercise=exercise).order_by("-created_at", "-id").first()
        rows.append(ExerciseRow(exercise, latest))
    return rows


def latest_version(*, course: Course, slug: str) -> ExerciseVersion | None:
    return (
        ExerciseVersion.objects.filter(exercise__course=course, exercise__slug=slug)
        .select_related("exercise")
        .order_by("-created_at", "-id")
        .first()
    )


def recent_pushes(*, course: Course, limit: int = 5) -> list[Push]:
    pushes = list(Push.objects.filter(course=course)[:limit])
    for push in pushes:
        push.entries = list(push.exercises.select_related("version"))
    return pushes
