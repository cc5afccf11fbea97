"""Reads for cohorts: membership, the progress grid, statistics, the CSV export."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q

from cohorts.models import Cohort, CohortExercise, Membership
from leaderboards.models import BestResult
from submissions.models import Submission


def is_member(*, user, cohort: Cohort) -> bool:
    return user.is_authenticated and Membership.objects.filter(cohort=cohort, user=user).exists()


def is_cohort_instructor(*, user, cohort: Cohort) -> bool:
    return user.is_authenticated and (
        user.is_staff or Membership.objects.filter(cohort=cohort, user=user, role=Membership.INSTRUCTOR).exists()
    )


def cohorts_for_user(*, user):
    return (
        Cohort.objects.filter(memberships__user=user)
        .annotate(learners=Count("memberships", filter=Q(memberships__role=Membership.LEARNER)))
        .order_by("-created_at")
    )


@dataclass
class Cell:
    score: float | None = None
    max_score: float | None = None
    attempts: int = 0
    last_activity: object = None
    time_value: float | None = None


@dataclass
class LearnerRow:
    user_id: int
    username: str
    name: str
    cells: list[Cell] = field(default_factory=list)
    total: float = 0.0
    last_activity: object = None


def cohort_grid(*, cohort: Cohort, search: str = "", only_exercise: str = "") -> tuple[list, list[LearnerRow]]:
    """Learners x exercises: best counted score, attempts, last activity."""
    links = list(
        CohortExercise.objects.filter(cohort=cohort)
        .select_related("exercise")
        .order_by("exercise__track__order", "exercise__order")
    )
    if only_exercise:
        links = [link for link in links if link.exercise.slug == only_exercise]
    members = Membership.objects.filter(cohort=cohort, role=Membership.LEARNER).select_related("user__profile")
    if search:
        members = members.filter(Q(user__username__icontains=search) | Q(user__profile__display_name__icontains=search))
    members = list(members.order_by("user__username"))
    best = {
        (b.user_id, b.exercise_id): b
        for b in BestResult.objects.filter(cohort=cohort, user_id__in=[m.user_id for m in members])
    }
    attempts = {
        (row["user_id"], row["exercise_id"]): row
        for row in Submission.objects.filter(
            user_id__in=[m.user_id for m in members], exercise_id__in=[link.exercise_id for link in links]
        )
        .values("user_id", "exercise_id")
        .annotate(n=Count("id"), last=Max("created_at"))
    }
    rows = []
    for member in members:
        profile = getattr(member.user, "profile", None)
        row = LearnerRow(member.user_id, member.user.username, profile.public_name if profile else member.user.username)
        for link in links:
            b = best.get((member.user_id, link.exercise_id))
            a = attempts.get((member.user_id, link.exercise_id), {})
            cell = Cell(
                score=b.score if b else None,
                max_score=link.exercise.points,
                attempts=a.get("n", 0),
                last_activity=a.get("last"),
                time_value=b.time_value if b else None,
            )
            row.cells.append(cell)
            row.total += cell.score or 0.0
            if cell.last_activity and (row.last_activity is None or cell.last_activity > row.last_activity):
                row.last_activity = cell.last_activity
        rows.append(row)
    return links, rows


def exercise_stats(*, cohort: Cohort, exercise) -> dict:
    learners = Membership.objects.filter(cohort=cohort, role=Membership.LEARNER).values("user_id")
    submissions = Submission.objects.filter(exercise=exercise, user_id__in=learners, status=Submission.GRADED)
    total_learners = Membership.objects.filter(cohort=cohort, role=Membership.LEARNER).count()
    solved = BestResult.objects.filter(cohort=cohort, exercise=exercise, score__gte=exercise.points - 1e-9).count()
    diagnoses = Counter()
    for result in submissions.values_list("result", flat=True)[:2000]:
        for test in (result or {}).get("tests", []):
            if test.get("diagnosis"):
                diagnoses[test["diagnosis"]] += 1
    verdicts = Counter(submissions.values_list("verdict", flat=True))
    return {
        "learners": total_learners,
        "solved": solved,
        "solve_rate": (solved / total_learners) if total_learners else 0.0,
        "attempts": submissions.count(),
        "common_diagnoses": diagnoses.most_common(5),
        "verdicts": verdicts.most_common(),
    }


def learner_submissions(*, cohort: Cohort, user_id: int):
    exercise_ids = CohortExercise.objects.filter(cohort=cohort).values("exercise_id")
    return Submission.objects.filter(user_id=user_id, exercise_id__in=exercise_ids).select_related("exercise")
