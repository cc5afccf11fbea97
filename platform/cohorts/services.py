"""Cohorts: creating one, joining with a code, deadlines, re-grading."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from accounts.services import is_instructor
from catalog.models import Exercise
from cohorts.models import Cohort, CohortExercise, Membership
from cohorts.selectors.access import instructor_sees_submission
from cohorts.selectors.counting import counting_submissions, counts_flag_condition
from courses.selectors import exercises_usable_by
from leaderboards.services import cohort_bests_refresh
from ops.rate_limits import FailureThrottle
from submissions.models import Submission
from submissions.services import submissions_regrade


@transaction.atomic
def cohort_recount(*, cohort: Cohort, user_ids: list[int] | None = None, exercise_ids: list[int] | None = None) -> None:
    """After an input of the counting rule changed (a join, a deadline, the admin): recompute the
    cohort's board rows and the practice flag of the submissions concerned.

    `user_ids` should include learners who just left, so their rows go too.
    """
    users = list(Membership.objects.filter(cohort=cohort).values_list("user_id", flat=True))
    if user_ids is not None:
        users = list(user_ids)
    concerned = Submission.objects.filter(user_id__in=users)
    exercises = (
        exercise_ids if exercise_ids is not None else CohortExercise.objects.filter(cohort=cohort).values("exercise_id")
    )
    concerned = concerned.filter(exercise_id__in=exercises)
    # Two bulk updates, not one per row: a cohort can hold thousands of submissions.
    concerned.filter(counts_flag_condition()).exclude(counts=True).update(counts=True)
    concerned.exclude(counts_flag_condition()).exclude(counts=False).update(counts=False)
    # Boards last: a grading worker locks its submission, then board rows; taking them in the same
    # order here means a recount inside a transaction (the admin) cannot deadlock with it.
    cohort_bests_refresh(cohort_id=cohort.id, user_ids=user_ids, exercise_ids=exercise_ids)


@transaction.atomic
def cohort_create(*, user, name: str, starts_at, ends_at=None, exercises=None, deadlines=None) -> Cohort:
    """A new cohort run by `user`, with a fresh join code and the chosen exercises (none chosen: all).

    `deadlines`: {exercise id: deadline} for the exercises that have their own.
    """
    if not is_instructor(user):
        raise PermissionDenied("Only instructors can create cohorts.")
    if not name.strip():
        raise ValidationError("A cohort needs a name.")
    if ends_at and starts_at and ends_at <= starts_at:
        raise ValidationError("The cohort must end after it starts.")
    usable = exercises_usable_by(user=user)
    chosen_ids = {e.pk for e in exercises} if exercises is not None else set()
    if chosen_ids and usable.filter(pk__in=chosen_ids).count() != len(chosen_ids):  # one query, not one each
        raise ValidationError("A cohort uses exercises of public courses and of courses you are on the staff of.")
    for _ in range(5):  # join codes are random; retry on the rare collision
        try:
            with transaction.atomic():
                cohort = Cohort.objects.create(name=name.strip(), starts_at=starts_at, ends_at=ends_at, created_by=user)
            break
        except IntegrityError:
            continue
    else:
        raise ValidationError("Could not allocate a join code; try again.")
    Membership.objects.create(cohort=cohort, user=user, role=Membership.INSTRUCTOR)
    chosen = exercises if exercises is not None else usable
    deadlines = deadlines or {}
    CohortExercise.objects.bulk_create(
        [CohortExercise(cohort=cohort, exercise=e, deadline=deadlines.get(e.pk)) for e in chosen]
    )
    return cohort


# Wrong join codes, like wrong passwords (ops.rate_limits): growing waits per account, a ceiling per address.
JOIN_CODES = FailureThrottle(
    name="join-code", backoff_setting="JOIN_CODE_BACKOFF", per_client_setting="JOIN_CODE_FAILURES_PER_IP"
)


class JoinThrottled(Exception):
    def __init__(self, retry_after: int):
        super().__init__(f"Too many wrong join codes. Wait {retry_after} seconds, then try again.")
        self.retry_after = retry_after


def cohort_join(*, user, code: str, client: str | None = None) -> Cohort:
    """Join as a learner by code (idempotent); work made before joining counts from now on.

    With ``client`` (the caller's address: a guess from outside), wrong codes are throttled per
    account and per address, and a throttled guess is refused (JoinThrottled) before any look-up.
    """
    account = f"user:{user.pk}"
    if client is not None:
        wait = JOIN_CODES.begin(key=account, client=client)  # counts as a wrong code until it proves right
        if wait is not None:
            raise JoinThrottled(wait)
    cohort = Cohort.objects.filter(join_code=code.strip().upper()).first()
    if cohort is None:
        raise ValidationError("No cohort has that join code.")
    if client is not None:
        JOIN_CODES.succeeded(key=account, client=client)
    membership, created = Membership.objects.get_or_create(
        cohort=cohort, user=user, defaults={"role": Membership.LEARNER}
    )
    if created and membership.role == Membership.LEARNER:
        # Work made before joining counts too (the counting rule): put it on the cohort's boards now.
        cohort_recount(cohort=cohort, user_ids=[user.id])
    return cohort


def _require_instructor(user, cohort: Cohort) -> None:
    if not (user.is_staff or Membership.objects.filter(cohort=cohort, user=user, role=Membership.INSTRUCTOR).exists()):
        raise PermissionDenied("Only this cohort's instructors can do that.")


def cohort_set_deadline(*, user, cohort: Cohort, exercise: Exercise, deadline) -> CohortExercise:
    """Set (or, with None, remove) an exercise's deadline in the cohort, and recount what it changes."""
    _require_instructor(user, cohort)
    link = CohortExercise.objects.filter(cohort=cohort, exercise=exercise).first()
    if link is None:  # a deadline never adds an exercise to a cohort behind the instructor's back
        raise ValidationError(f"{exercise.title} is not an exercise of {cohort.name}.")
    link.deadline = deadline
    link.save(update_fields=["deadline"])
    cohort_recount(cohort=cohort, exercise_ids=[exercise.id])
    return link


def regrade_candidates(*, cohort: Cohort, exercise: Exercise) -> QuerySet[Submission]:
    """What a cohort re-grade acts on: finished submissions of the exercise that count for this cohort."""
    return counting_submissions(cohort=cohort).filter(
        exercise=exercise, status__in=[Submission.GRADED, Submission.ERROR]
    )


def cohort_regrade(*, user, cohort: Cohort, exercise: Exercise) -> int:
    """Re-grade the submissions that count for this cohort on one exercise (low-priority lane).

    Work of a shared learner that counts only for another instructor's cohort is left alone.
    """
    _require_instructor(user, cohort)
    return submissions_regrade(exercise=exercise, only=regrade_candidates(cohort=cohort, exercise=exercise))


def may_regrade_submission(*, user, submission: Submission) -> bool:
    """Staff, or an instructor of a cohort the submission counts for (who sees it: the counting rule)."""
    if not user.is_authenticated:
        return False
    return user.is_staff or instructor_sees_submission(user=user, submission=submission)


def submission_regrade_one(*, user, submission: Submission) -> int:
    """Re-grade one finished submission (low-priority lane), for an instructor who may see it."""
    if not may_regrade_submission(user=user, submission=submission):
        raise PermissionDenied("Only an instructor of a cohort this submission counts for can re-grade it.")
    return submissions_regrade(exercise=submission.exercise, only=Submission.objects.filter(pk=submission.pk))
