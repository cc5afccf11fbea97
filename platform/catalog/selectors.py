"""Reads for the catalogue pages: tracks, exercises, hints, explanations, the lesson, deadlines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from catalog.models import Exercise, HintUnlock, LessonSection, Track
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


def exercise_titles(*, slugs: list[str]) -> dict[str, str]:
    """Titles of active exercises by slug (for prerequisite and lesson links)."""
    return dict(Exercise.objects.filter(slug__in=slugs, is_active=True).values_list("slug", "title"))


# --- hints --------------------------------------------------------------------------------


@dataclass
class HintState:
    total: int
    unlocked: int
    has_failed_attempt: bool
    shown: list[str] = field(default_factory=list)  # the unlocked hints' HTML, in order

    @property
    def can_unlock(self) -> bool:
        return self.has_failed_attempt and self.unlocked < self.total

    @property
    def next_number(self) -> int:
        return self.unlocked + 1


def _attempts(user, exercise):
    from submissions.models import Submission

    return Submission.objects.filter(user=user, exercise=exercise, status=Submission.GRADED)


def hint_state(*, user, exercise: Exercise) -> HintState:
    """How many hints the learner has opened, and whether another may open (after a failed attempt)."""
    hints = exercise.current_version.hints_html if exercise.current_version else []
    if not user.is_authenticated:
        return HintState(total=len(hints), unlocked=0, has_failed_attempt=False)
    unlocked = HintUnlock.objects.filter(user=user, exercise=exercise).count()
    failed = _attempts(user, exercise).exclude(verdict="accepted").exists()
    unlocked = min(unlocked, len(hints))  # a new version may have fewer hints
    return HintState(total=len(hints), unlocked=unlocked, has_failed_attempt=failed, shown=list(hints[:unlocked]))


def hint_use_for(*, user_ids, exercise_ids) -> dict[tuple[int, int], int]:
    """Hints opened per (user id, exercise id), for the cohort grid. One query."""
    rows = (
        HintUnlock.objects.filter(user_id__in=list(user_ids), exercise_id__in=list(exercise_ids))
        .order_by()  # no joins for the model's ordering: a count needs none
        .values("user_id", "exercise_id")
        .annotate(n=Count("id"))
    )
    return {(r["user_id"], r["exercise_id"]): r["n"] for r in rows}


# --- deadlines and the explanation -------------------------------------------------------------


@dataclass
class Deadline:
    cohort: str
    at: datetime
    passed: bool
    joined_before: bool = True  # the learner was a member before it passed (joining late opens nothing)


def deadlines_for(*, user, exercise: Exercise, now: datetime | None = None) -> list[Deadline]:
    """The learner's cohort deadlines for this exercise (as a learner), earliest first."""
    if not user.is_authenticated:
        return []
    from cohorts.models import CohortExercise, Membership

    now = now or timezone.now()
    links = (
        CohortExercise.objects.filter(
            exercise=exercise,
            deadline__isnull=False,
            cohort__memberships__user=user,
            cohort__memberships__role=Membership.LEARNER,
        )
        .select_related("cohort")
        .order_by("deadline")
    )
    links = list(links)
    joined = dict(
        Membership.objects.filter(
            user=user, role=Membership.LEARNER, cohort_id__in=[link.cohort_id for link in links]
        ).values_list("cohort_id", "joined_at")
    )
    return [
        Deadline(
            cohort=link.cohort.name,
            at=link.deadline,
            passed=link.deadline < now,
            joined_before=joined.get(link.cohort_id, now) < link.deadline,
        )
        for link in links
    ]


@dataclass
class ExplanationState:
    open: bool
    reason: str  # why it is open, or what opens it
    learner_code: str = ""


def explanation_state(
    *, user, exercise: Exercise, now: datetime | None = None, deadlines: list[Deadline] | None = None
) -> ExplanationState:
    """Open after an accepted submission, or once the learner's cohort deadlines have passed.

    A deadline opens it only when every deadline the learner has for this exercise has passed
    (a reference read after one cohort's deadline must not be submitted in another's still
    open) and at least one passed while the learner was already a member (joining last
    term's cohort with a known code opens nothing).

    `deadlines`: the learner's deadlines_for this exercise, when the caller already has them.
    """
    if not user.is_authenticated:
        return ExplanationState(False, "Log in and solve the exercise to read its explanation.")
    from accounts.services import is_instructor

    if is_instructor(user):
        return ExplanationState(True, "Instructors can read every explanation.")
    accepted = _attempts(user, exercise).filter(verdict="accepted").order_by("-created_at").first()
    if accepted is not None:
        return ExplanationState(True, "You solved it: here is the idea and the reference solution.", accepted.source)
    if deadlines is None:
        deadlines = deadlines_for(user=user, exercise=exercise, now=now)
    passed = [d for d in deadlines if d.passed and d.joined_before]
    if passed and all(d.passed for d in deadlines):
        latest = _attempts(user, exercise).order_by("-created_at").first()
        return ExplanationState(
            True,
            f"The deadline of {passed[0].cohort} has passed, so the explanation is open.",
            latest.source if latest else "",
        )
    return ExplanationState(False, "The explanation opens once you pass every case (or after your cohort's deadline).")


# --- the lesson ---------------------------------------------------------------------------------


def lesson_sections() -> QuerySet[LessonSection]:
    return LessonSection.objects.all()


def lesson_section_for(*, exercise: Exercise) -> LessonSection | None:
    return LessonSection.objects.filter(anchor=exercise.lesson).first() if exercise.lesson else None


def proof_for(*, exercise: Exercise) -> dict | None:
    """What `exercises check --record` measured in the sandbox, if it checked this very version."""
    from django.conf import settings

    from grader.authoring import read_proof

    version = exercise.current_version
    proof = read_proof(settings.EXERCISES_DIR, exercise.slug)
    if not proof or version is None or proof.get("version") != version.version:
        return None
    return proof
