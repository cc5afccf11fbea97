"""A cohort's grade book: grades, verdicts and common mistakes from the submissions that count.

Every number an instructor or a learner sees about a cohort comes from here, cached under a
stamp of everything it is computed from (cohorts.grades_version).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import Coalesce

from cohorts.grades_version import grades_version
from cohorts.models import Cohort, CohortExercise, Membership
from cohorts.selectors.access import learner_count
from cohorts.selectors.counting import cohort_links, counting_submissions, open_at, with_due
from submissions.models import Submission, SubmissionDiagnosis

# A submission queued again by a re-grade keeps its last verdict, score and diagnoses until the new
# grading replaces them: the book reads those, so a running re-grade shows the last complete numbers.
_BEING_REGRADED = Q(lane=Submission.REGRADE, status__in=[Submission.QUEUED, Submission.RUNNING])


def book_submissions(*, cohort: Cohort | int) -> QuerySet[Submission]:
    """The submissions a cohort's grades are made of: those that count and are graded, or are being
    re-graded after a grading (read with that grading's numbers)."""
    regrading = _BEING_REGRADED & Q(score__isnull=False) & ~Q(verdict="")
    return counting_submissions(cohort=cohort).filter(Q(status=Submission.GRADED) | regrading)


@dataclass(frozen=True)
class RegradeProgress:
    """A re-grade of the cohort's work under way: how many of its submissions are graded again."""

    done: int
    total: int
    exercises: list  # the exercises being re-graded, in track order


def regrade_progress(*, cohort: Cohort, stamp: tuple | None = None) -> RegradeProgress | None:
    """The re-grade running over the cohort's counting submissions, if one is (None: the numbers are final).

    Its submissions are those on the re-grade lane queued since the earliest one still waiting.
    Kept in the cache under the grade book's stamp (queuing and finishing a grading both change it).
    """
    stamp = grade_book_stamp(cohort=cohort) if stamp is None else stamp
    key = f"cohorts:regrade-progress:{cohort.pk}"
    cached = cache.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    progress = _regrade_progress(cohort)
    cache.set(key, (stamp, progress), GRADE_BOOK_SECONDS)
    return progress


def _regrade_progress(cohort: Cohort) -> RegradeProgress | None:
    counting = counting_submissions(cohort=cohort).filter(lane=Submission.REGRADE)
    since = counting.filter(_BEING_REGRADED).aggregate(first=Min("queued_at"))["first"]
    if since is None:
        return None
    batch = counting.filter(queued_at__gte=since)
    total = batch.count()
    waiting = batch.filter(_BEING_REGRADED)
    exercise_ids = set(waiting.values_list("exercise_id", flat=True))
    links = [link for link in cohort_links(cohort=cohort) if link.exercise_id in exercise_ids]
    return RegradeProgress(done=total - waiting.count(), total=total, exercises=[link.exercise for link in links])


@dataclass
class Grade:
    """One learner's standing on one exercise of a cohort, by the counting rule."""

    score: float | None = None
    attempts: int = 0
    last_activity: datetime | None = None


def _grades_and_verdicts(query: QuerySet[Submission]) -> tuple[dict[tuple[int, int], Grade], dict[int, list]]:
    """Fold counting graded submissions into grades per (user, exercise) and verdict counts per exercise.

    One aggregate query, grouped by learner, exercise and verdict: the grid and the verdict counts in one pass.
    """
    rows = (
        query.order_by()
        .values_list("user_id", "exercise_id", "verdict")
        .annotate(best=Max(Coalesce("score", 0.0)), n=Count("id"), last=Max("created_at"))
    )
    grades: dict[tuple[int, int], Grade] = {}
    verdicts: dict[int, Counter] = {}
    for user_id, exercise_id, verdict, best, n, last in rows:
        grade = grades.get((user_id, exercise_id))
        if grade is None:
            grades[user_id, exercise_id] = Grade(best, n, last)
        else:
            grade.score, grade.attempts = max(grade.score, best), grade.attempts + n
            grade.last_activity = max(grade.last_activity, last)
        verdicts.setdefault(exercise_id, Counter())[verdict] += n
    # Most frequent first, then by name.
    return grades, {e: sorted(c.items(), key=lambda item: (-item[1], item[0])) for e, c in verdicts.items()}


def cohort_grades(
    *, cohort: Cohort, user_ids: list[int] | None = None, exercise_ids: list[int] | None = None
) -> dict[tuple[int, int], Grade]:
    """(user id, exercise id) -> best counting score, counting graded attempts, last counting attempt.

    One aggregate query; every number an instructor or learner sees about a cohort comes from here.
    """
    query = book_submissions(cohort=cohort)
    if user_ids is not None:
        query = query.filter(user_id__in=user_ids)
    if exercise_ids is not None:
        query = query.filter(exercise_id__in=exercise_ids)
    return _grades_and_verdicts(query)[0]


def is_solved(grade: Grade | None, exercise) -> bool:
    """Full marks on the exercise (floating-point scores are compared with a tolerance)."""
    return bool(grade and grade.score is not None and grade.score >= exercise.points - 1e-9)


@dataclass
class DiagnosisCount:
    """A likely mistake: in words, how many learners made it, in how many submissions."""

    diagnosis: str
    words: str
    learners: int
    submissions: int


def common_diagnoses(*, submissions: QuerySet[Submission], limit: int = 5) -> dict[int, list[DiagnosisCount]]:
    """Exercise id -> the mistakes most learners made, from the diagnoses recorded at grading time (one query)."""
    rows = (
        SubmissionDiagnosis.objects.filter(submission__in=submissions.values("pk"))
        .values("submission__exercise_id", "diagnosis")
        .annotate(
            learners=Count("submission__user_id", distinct=True),
            n=Count("submission_id", distinct=True),
            words=Max("message"),
        )
        .order_by("-learners", "-n", "diagnosis")
    )
    found: dict[int, list[DiagnosisCount]] = {}
    for row in rows:
        top = found.setdefault(row["submission__exercise_id"], [])
        if len(top) < limit:
            words = row["words"] or _slug_words(row["diagnosis"])
            top.append(DiagnosisCount(row["diagnosis"], words, row["learners"], row["n"]))
    return found


def _slug_words(slug: str) -> str:
    """Last resort for a diagnosis recorded without a message: its name as a phrase."""
    return slug.replace("-", " ").replace("_", " ").capitalize()


@dataclass
class GradeBook:
    """What the instructor's dashboard reads from the submissions that count for a cohort."""

    grades: dict[tuple[int, int], Grade]  # (user id, exercise id) -> Grade, as cohort_grades
    verdicts: dict[int, list[tuple[str, int]]]  # exercise id -> (verdict, graded attempts), most frequent first
    mistakes: dict[int, list[DiagnosisCount]]  # exercise id -> common_diagnoses


GRADE_BOOK_SECONDS = 3600  # an idle cohort's book leaves the cache; a changed one is never read again anyway


def grade_book_stamp(
    *, cohort: Cohort, links: list[CohortExercise] | None = None, learners: tuple[int, ...] | None = None
) -> tuple:
    """Everything a cohort's grade book is computed from, short of the grades themselves (three small queries).

    Its learners (by id), its exercises with their deadlines, and its grades version
    (cohorts.grades_version), which changes in the transaction that changes a grade.
    `links` (cohort_links, with `due`) and `learners` (every learner's id, in order): when the
    caller already has them.
    """
    if learners is None:
        learners = tuple(
            Membership.objects.filter(cohort=cohort, role=Membership.LEARNER)
            .order_by("user_id")
            .values_list("user_id", flat=True)
        )
    if links is None:
        due = tuple(with_due().filter(cohort=cohort).order_by("exercise_id").values_list("exercise_id", "due"))
    else:
        due = tuple(sorted((link.exercise_id, link.due) for link in links))
    return grades_version(cohort_id=cohort.pk), learners, due


def cohort_grade_book(*, cohort: Cohort, stamp: tuple | None = None) -> GradeBook:
    """The cohort's grade book: from the cache when it was stored under the current stamp, else two queries.

    The stamp is read before the grades (pass it when you have it), so a book computed from
    older grades can only ever be stored under an older stamp.
    """
    stamp = grade_book_stamp(cohort=cohort) if stamp is None else stamp
    key = f"cohorts:grade-book:{cohort.pk}"
    cached = cache.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    # The learners as a list of ids as well as by the rule: PostgreSQL cannot estimate the rule's
    # subquery, and without the list it reads every graded submission on the platform.
    graded = book_submissions(cohort=cohort).filter(user_id__in=stamp[1])
    grades, verdicts = _grades_and_verdicts(graded)
    book = GradeBook(grades, verdicts, common_diagnoses(submissions=graded))
    cache.set(key, (stamp, book), GRADE_BOOK_SECONDS)
    return book


def cohort_stats(
    *, cohort: Cohort, exercises: list, book: GradeBook | None = None, learners: int | None = None
) -> list[tuple[object, dict]]:
    """Per exercise: solve rate, counting graded attempts, verdicts, the most common mistakes.

    From the cohort's grade book, whatever the number of exercises (`book` and the number of
    `learners`, when the caller already has them).
    """
    total_learners = learner_count(cohort=cohort) if learners is None else learners
    book = book or cohort_grade_book(cohort=cohort)
    per_exercise: dict[int, list[Grade]] = {}
    for (_, exercise_id), grade in book.grades.items():
        per_exercise.setdefault(exercise_id, []).append(grade)
    out = []
    for exercise in exercises:
        mine = per_exercise.get(exercise.id, [])
        solved = sum(1 for grade in mine if is_solved(grade, exercise))
        out.append(
            (
                exercise,
                {
                    "learners": total_learners,
                    "solved": solved,
                    "solve_rate": (solved / total_learners) if total_learners else 0.0,
                    "attempts": sum(grade.attempts for grade in mine),
                    "common_diagnoses": book.mistakes.get(exercise.id, []),
                    "verdicts": book.verdicts.get(exercise.id, []),
                },
            )
        )
    return out


def exercise_stats(*, cohort: Cohort, exercise) -> dict:
    """`cohort_stats` for one exercise."""
    return cohort_stats(cohort=cohort, exercises=[exercise])[0][1]


@dataclass
class Standing:
    """A learner's own line for one exercise of their cohort."""

    link: CohortExercise
    grade: Grade
    solved: bool
    open: bool


def learner_standing(*, cohort: Cohort, user, now: datetime) -> list[Standing]:
    """What the learner sees of their own grades in a cohort: the same numbers as the instructor's grid."""
    links = cohort_links(cohort=cohort)
    grades = cohort_grades(cohort=cohort, user_ids=[user.id])
    open_ids = set(open_at(now).filter(cohort=cohort).values_list("pk", flat=True))
    standings = []
    for link in links:
        grade = grades.get((user.id, link.exercise_id), Grade())
        standings.append(Standing(link, grade, is_solved(grade, link.exercise), link.pk in open_ids))
    return standings


def learner_submissions(*, cohort: Cohort, user_id: int) -> QuerySet[Submission]:
    """The learner's submissions that count for this cohort (what its instructors may see)."""
    return counting_submissions(cohort=cohort).filter(user_id=user_id).select_related("exercise")
