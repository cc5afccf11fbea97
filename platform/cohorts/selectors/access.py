"""Who is what in a cohort: membership, roles, and which submissions an instructor may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from cohorts.models import Cohort, Membership
from cohorts.selectors.counting import counting_cohort_ids
from submissions.models import Submission


def instructor_sees_submission(*, user, submission: Submission) -> bool:
    """An instructor sees a submission only when it counts for one of their own cohorts."""
    mine = Membership.objects.filter(user=user, role=Membership.INSTRUCTOR).values_list("cohort_id", flat=True)
    return bool(set(mine) & set(counting_cohort_ids(submission=submission)))


@dataclass(frozen=True)
class CohortAccess:
    """What a user is in a cohort, read with one query; is_member, is_learner and is_cohort_instructor ask it."""

    role: str | None  # Membership.LEARNER or Membership.INSTRUCTOR; None: not a member
    staff: bool

    @property
    def member(self) -> bool:
        """Any role: learners and instructors see the cohort's page and boards."""
        return self.role is not None

    @property
    def learner(self) -> bool:
        """A learner of the cohort (whose work the counting rule counts)."""
        return self.role == Membership.LEARNER

    @property
    def instructor(self) -> bool:
        """One of the cohort's instructors, or staff."""
        return self.staff or self.role == Membership.INSTRUCTOR


def cohort_access(*, user, cohort: Cohort) -> CohortAccess:
    """The user's role in the cohort (a page that needs several of the predicates below reads it once)."""
    if not user.is_authenticated:
        return CohortAccess(None, False)
    role = Membership.objects.filter(cohort=cohort, user=user).values_list("role", flat=True).first()
    return CohortAccess(role, user.is_staff)


def is_member(*, user, cohort: Cohort) -> bool:
    """Any role: learners and instructors see the cohort's page and boards."""
    return cohort_access(user=user, cohort=cohort).member


def is_learner(*, user, cohort: Cohort) -> bool:
    """A learner of the cohort (whose work the counting rule counts)."""
    return cohort_access(user=user, cohort=cohort).learner


def is_cohort_instructor(*, user, cohort: Cohort) -> bool:
    """One of the cohort's instructors, or staff."""
    return user.is_authenticated and (user.is_staff or cohort_access(user=user, cohort=cohort).instructor)


def cohorts_for_user(*, user) -> QuerySet[Cohort]:
    """The user's cohorts, each with `learners`: how many learners it has (not how many of them are the user)."""
    learners = (
        Membership.objects.filter(cohort_id=OuterRef("pk"), role=Membership.LEARNER)
        .order_by()
        .values("cohort_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        Cohort.objects.filter(memberships__user=user)
        .annotate(learners=Coalesce(Subquery(learners), 0))
        .order_by("-created_at")
    )


def learner_count(*, cohort: Cohort) -> int:
    """How many learners the cohort has (instructors not counted)."""
    return Membership.objects.filter(cohort=cohort, role=Membership.LEARNER).count()
