"""The counting rule (docs, "Learners, instructors, leaderboards"): here and only here.

    A submission counts for a cohort when its author is a learner member of the
    cohort (whenever they joined), the exercise is in the cohort, and it was made
    no later than that exercise's deadline in the cohort (its own deadline, else the
    cohort's end date; neither: always). Later practice never counts. The learner's
    best counting graded attempt (ranking rule) is their grade.

The grid, the CSV export, solve rates, the learner's own view, cohort leaderboards, the
explanation's opening and every instructor's permission read it.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from cohorts.models import Cohort, CohortExercise, Membership
from submissions.models import Submission


def with_due(links: QuerySet[CohortExercise] | None = None) -> QuerySet[CohortExercise]:
    """Cohort exercises annotated with `due`: their own deadline, else the cohort's end date (None: never)."""
    links = CohortExercise.objects.all() if links is None else links
    return links.annotate(due=Coalesce("deadline", "cohort__ends_at"))


def open_at(when, links: QuerySet[CohortExercise] | None = None) -> QuerySet[CohortExercise]:
    """The links still open at `when` (a datetime or an OuterRef to one): the rule's date test."""
    return with_due(links).filter(Q(due__isnull=True) | Q(due__gte=when))


def _learner_links(*, user_id, exercise_id) -> QuerySet[CohortExercise]:
    """The exercise's links in the cohorts where the user is a learner (values or OuterRefs)."""
    return CohortExercise.objects.filter(
        exercise_id=exercise_id, cohort__memberships__user_id=user_id, cohort__memberships__role=Membership.LEARNER
    )


def counting_submissions(*, cohort: Cohort | int) -> QuerySet[Submission]:
    """Every submission (any status) that counts for the cohort, by the counting rule."""
    cohort_id = cohort.pk if isinstance(cohort, Cohort) else cohort
    learners = Membership.objects.filter(cohort_id=cohort_id, role=Membership.LEARNER).values("user_id")
    open_link = open_at(OuterRef("created_at")).filter(cohort_id=cohort_id, exercise_id=OuterRef("exercise_id"))
    return Submission.objects.filter(user_id__in=learners).filter(Exists(open_link))


def counting_cohort_ids(*, submission: Submission) -> list[int]:
    """The cohorts a submission counts for (the same rule, seen from the submission)."""
    links = _learner_links(user_id=submission.user_id, exercise_id=submission.exercise_id)
    return sorted(set(open_at(submission.created_at, links).values_list("cohort_id", flat=True)))


def still_counted_somewhere(*, user, exercise, when: datetime) -> bool:
    """Whether a submission made at `when` would count for at least one of the learner's cohorts.

    The explanation and its reference stay closed while this holds (catalog.selectors).
    """
    return open_at(when, _learner_links(user_id=user.pk, exercise_id=exercise.pk)).exists()


def counts_for_a_cohort_now(*, user, exercise, when: datetime) -> bool:
    """Whether a submission made at `when` would count for a cohort (False: practice only).

    A learner in no cohort that has the exercise is never "practising": True.
    """
    links = _learner_links(user_id=user.pk, exercise_id=exercise.pk)
    return not links.exists() or still_counted_somewhere(user=user, exercise=exercise, when=when)


def learner_dues(*, user, exercise) -> list[CohortExercise]:
    """The exercise's links in the learner's cohorts, each with `due` (the rule's deadline: None, never)
    and `joined_at` (when the learner joined that cohort), with the cohort; earliest due first."""
    links = with_due(_learner_links(user_id=user.pk, exercise_id=exercise.pk)).select_related("cohort")
    joined = Membership.objects.filter(cohort_id=OuterRef("cohort_id"), user_id=user.pk).values("joined_at")[:1]
    return list(links.annotate(joined_at=Subquery(joined)).order_by(F("due").asc(nulls_last=True), "cohort_id"))


def counts_flag_condition() -> Q:
    """`counts_for_a_cohort_now` as a filter over Submission rows (to refresh their `counts` flag in bulk)."""
    links = _learner_links(user_id=OuterRef("user_id"), exercise_id=OuterRef("exercise_id"))
    return Q(~Exists(links)) | Q(Exists(open_at(OuterRef("created_at"), links)))


def cohort_links(*, cohort: Cohort) -> list[CohortExercise]:
    """The cohort's exercises in track order, each with `due` (when its attempts stop counting)."""
    return list(
        with_due()
        .filter(cohort=cohort)
        .select_related("exercise")
        .order_by("exercise__track__order", "exercise__order", "exercise__slug")
    )
