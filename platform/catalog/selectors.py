"""Reads for the catalogue pages: tracks, exercises, hints, explanations, the lesson, deadlines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from catalog.models import Exercise, HintUnlock, LessonSection, Track
from catalog.visibility import exercise_visible_get, exercises_visible_to
from leaderboards.models import BestResult


def track_list(*, user) -> QuerySet[Track]:
    """The tracks with an exercise ``user`` may see, each with those exercises only (catalog.visibility)."""
    visible = exercises_visible_to(user=user)
    return Track.objects.filter(id__in=visible.values("track_id")).prefetch_related(
        Prefetch("exercises", queryset=visible.order_by("order"))
    )


def exercise_get(*, user, slug: str) -> Exercise:
    """The exercise if ``user`` may see it, else Exercise.DoesNotExist (catalog.visibility)."""
    return exercise_visible_get(user=user, slug=slug)


def progress_for(*, user) -> dict[int, BestResult]:
    """The learner's best result per exercise (outside cohorts), keyed by exercise id."""
    if not user.is_authenticated:
        return {}
    return {b.exercise_id: b for b in BestResult.objects.filter(user=user, cohort__isnull=True)}


def exercise_titles(*, user, slugs: list[str]) -> dict[str, str]:
    """Titles of the exercises ``user`` may see, by slug (for prerequisite and lesson links)."""
    return dict(exercises_visible_to(user=user).filter(slug__in=slugs).values_list("slug", "title"))


# --- hints --------------------------------------------------------------------------------


MISTAKE_HINTS = "mistake_hints"  # the exercise version's config: {diagnosis id: 0-based hint index}


@dataclass
class HintState:
    total: int
    unlocked: int
    has_failed_attempt: bool
    shown: list[tuple[int, str]] = field(default_factory=list)  # (number from 1, HTML) of each opened hint
    next_index: int | None = None  # the hint the next unlock opens (0-based); None: none left
    speaks_to: str = ""  # the mistake of the latest failed attempt that hint is about, if it is

    @property
    def can_unlock(self) -> bool:
        return self.has_failed_attempt and self.next_index is not None

    @property
    def next_number(self) -> int:
        return (self.next_index or 0) + 1


def _attempts(user, exercise):
    from submissions.models import Submission

    return Submission.objects.filter(user=user, exercise=exercise, status=Submission.GRADED)


def mistake_hint(*, exercise: Exercise, diagnosis: str | None) -> int | None:
    """The hint (0-based index) the exercise names for a diagnosed mistake, if it names one that exists."""
    version = exercise.current_version
    if not diagnosis or version is None:
        return None
    named = (version.config or {}).get(MISTAKE_HINTS) or {}
    index = named.get(diagnosis) if isinstance(named, dict) else None
    return index if isinstance(index, int) and 0 <= index < len(version.hints_html) else None


def _latest_diagnosis(user, exercise) -> tuple[str, str] | None:
    """(diagnosis id, words) the latest graded attempt was diagnosed with, if it failed with one."""
    from submissions.models import SubmissionDiagnosis

    latest = _attempts(user, exercise).order_by("-created_at").only("id", "verdict").first()
    if latest is None or latest.verdict == "accepted":
        return None
    found = SubmissionDiagnosis.objects.filter(submission=latest).order_by("id").values_list("diagnosis", "message")
    return found.first()


def hint_state(*, user, exercise: Exercise) -> HintState:
    """The hints the learner opened, and which one opens next (after a failed attempt).

    Hints open in order, except that after an attempt diagnosed with a mistake the exercise
    names a hint for (config["mistake_hints"]), that hint is the next one offered.
    """
    hints = exercise.current_version.hints_html if exercise.current_version else []
    if not user.is_authenticated:
        return HintState(total=len(hints), unlocked=0, has_failed_attempt=False, next_index=0 if hints else None)
    opened = sorted(
        i
        for i in HintUnlock.objects.filter(user=user, exercise=exercise).values_list("index", flat=True)
        if i < len(hints)  # a new version may have fewer hints
    )
    failed = _attempts(user, exercise).exclude(verdict="accepted").exists()
    locked = [i for i in range(len(hints)) if i not in opened]
    state = HintState(
        total=len(hints),
        unlocked=len(opened),
        has_failed_attempt=failed,
        shown=[(i + 1, hints[i]) for i in opened],
        next_index=locked[0] if locked else None,
    )
    diagnosed = _latest_diagnosis(user, exercise) if failed and locked else None
    if diagnosed:
        named = mistake_hint(exercise=exercise, diagnosis=diagnosed[0])
        if named is not None and named in locked:
            state.next_index, state.speaks_to = named, diagnosed[1] or diagnosed[0]
    return state


def hint_use_for(*, user_ids, exercise_ids) -> dict[tuple[int, int], int]:
    """Hints opened per (user id, exercise id), for the cohort grid. One query."""
    rows = (
        HintUnlock.objects.filter(user_id__in=list(user_ids), exercise_id__in=list(exercise_ids))
        .order_by()  # no joins for the model's ordering: a count needs none
        .values("user_id", "exercise_id")
        .annotate(n=Count("id"))
    )
    return {(r["user_id"], r["exercise_id"]): r["n"] for r in rows}


# --- what comes next -----------------------------------------------------------------------------


@dataclass
class TrackProgress:
    """Where an exercise sits in its track, for the way on: the next exercise to do and how far the learner is."""

    track: Track
    solved: int
    total: int
    next: Exercise | None  # the first unsolved exercise after this one (else before it); None: all solved


def track_progress(*, user, exercise: Exercise) -> TrackProgress:
    """The learner's progress through the exercise's track (full marks on the global board count as solved)."""
    visible = exercises_visible_to(user=user)  # a private course's exercise in this track is no step of it for others
    exercises = list(visible.filter(track_id=exercise.track_id).order_by("order", "slug"))
    best = progress_for(user=user)
    solved = {e.pk for e in exercises if e.pk in best and best[e.pk].score >= e.points - 1e-9}
    position = next((i for i, e in enumerate(exercises) if e.pk == exercise.pk), -1)
    ahead = exercises[position + 1 :] + exercises[: max(position, 0)]
    following = next((e for e in ahead if e.pk not in solved), None)
    return TrackProgress(track=exercise.track, solved=len(solved), total=len(exercises), next=following)


# --- deadlines and the explanation -------------------------------------------------------------


@dataclass
class Deadline:
    """When the learner's work on an exercise stops counting in one of their cohorts (the counting rule's due)."""

    cohort: str
    at: datetime | None  # the exercise's deadline in the cohort, else the cohort's end; None: it always counts
    passed: bool
    joined_before: bool = True  # the learner was a member before it passed (joining late opens nothing)


def deadlines_for(*, user, exercise: Exercise, now: datetime | None = None) -> list[Deadline]:
    """The learner's cohort deadlines for this exercise (as a learner), earliest first, open-ended last."""
    if not user.is_authenticated:
        return []
    from cohorts.selectors.counting import learner_dues

    now = now or timezone.now()
    return [
        Deadline(
            cohort=link.cohort.name,
            at=link.due,
            passed=link.due is not None and link.due < now,
            joined_before=link.due is None or (link.joined_at or now) < link.due,
        )
        for link in learner_dues(user=user, exercise=exercise)
    ]


@dataclass
class ExplanationState:
    open: bool
    reason: str  # why it is open, or what opens it
    learner_code: str = ""


def explanation_state(
    *, user, exercise: Exercise, now: datetime | None = None, deadlines: list[Deadline] | None = None
) -> ExplanationState:
    """Open after an accepted submission, or once no cohort of the learner counts the exercise any more.

    "Counts" is the cohort counting rule itself (cohorts.selectors.counting.still_counted_somewhere): while
    any of the learner's cohorts would still count a submission (its own deadline or the cohort's
    end not reached, or neither set), the reference stays closed, since a copy would be accepted
    and ranked there. Once none does, a passed deadline opens it only if the learner was already
    a member when it passed (joining last term's cohort with a known code opens nothing).

    `deadlines`: the learner's deadlines_for this exercise, when the caller already has them.
    """
    if not user.is_authenticated:
        return ExplanationState(False, "Log in and solve the exercise to read its explanation.")
    from accounts.services import is_instructor
    from cohorts.selectors.counting import still_counted_somewhere

    if is_instructor(user):
        return ExplanationState(True, "Instructors can read every explanation.")
    accepted = _attempts(user, exercise).filter(verdict="accepted").order_by("-created_at").first()
    if accepted is not None:
        return ExplanationState(True, "You solved it: here is the idea and the reference solution.", accepted.source)
    now = now or timezone.now()
    if still_counted_somewhere(user=user, exercise=exercise, when=now):
        return ExplanationState(
            False,
            "The explanation opens once you pass every case, or once no cohort of yours still counts this exercise.",
        )
    if deadlines is None:
        deadlines = deadlines_for(user=user, exercise=exercise, now=now)
    passed = [d for d in deadlines if d.passed and d.joined_before]
    if passed:
        latest = _attempts(user, exercise).order_by("-created_at").first()
        return ExplanationState(
            True,
            f"The deadline of {passed[-1].cohort} has passed, so the explanation is open.",
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
