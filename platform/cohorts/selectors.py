"""Reads for cohorts: membership, the counting rule, the progress grid, statistics.

The counting rule (README, "Learners, instructors, leaderboards") lives here and only
here; the grid, the CSV export, solve rates, the learner's own view, cohort
leaderboards and every instructor's permission read it:

    A submission counts for a cohort when its author is a learner member of the
    cohort (whenever they joined), the exercise is in the cohort, and it was made
    no later than that exercise's deadline in the cohort (its own deadline, else the
    cohort's end date; neither: always). Later practice never counts. The learner's
    best counting graded attempt (ranking rule) is their grade.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.core.cache import cache
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cohorts.grades_version import grades_version
from cohorts.models import Cohort, CohortExercise, Membership
from submissions.models import Submission, SubmissionDiagnosis


def _with_due(links: QuerySet[CohortExercise] | None = None) -> QuerySet[CohortExercise]:
    """Cohort exercises annotated with `due`: their own deadline, else the cohort's end date (None: never)."""
    links = CohortExercise.objects.all() if links is None else links
    return links.annotate(due=Coalesce("deadline", "cohort__ends_at"))


def _open_at(when, links: QuerySet[CohortExercise] | None = None) -> QuerySet[CohortExercise]:
    """The links still open at `when` (a datetime or an OuterRef to one): the rule's date test."""
    return _with_due(links).filter(Q(due__isnull=True) | Q(due__gte=when))


def _learner_links(*, user_id, exercise_id) -> QuerySet[CohortExercise]:
    """The exercise's links in the cohorts where the user is a learner (values or OuterRefs)."""
    return CohortExercise.objects.filter(
        exercise_id=exercise_id, cohort__memberships__user_id=user_id, cohort__memberships__role=Membership.LEARNER
    )


def counting_submissions(*, cohort: Cohort | int) -> QuerySet[Submission]:
    """Every submission (any status) that counts for the cohort, by the counting rule."""
    cohort_id = cohort.pk if isinstance(cohort, Cohort) else cohort
    learners = Membership.objects.filter(cohort_id=cohort_id, role=Membership.LEARNER).values("user_id")
    open_link = _open_at(OuterRef("created_at")).filter(cohort_id=cohort_id, exercise_id=OuterRef("exercise_id"))
    return Submission.objects.filter(user_id__in=learners).filter(Exists(open_link))


def counting_cohort_ids(*, submission: Submission) -> list[int]:
    """The cohorts a submission counts for (the same rule, seen from the submission)."""
    links = _learner_links(user_id=submission.user_id, exercise_id=submission.exercise_id)
    return sorted(set(_open_at(submission.created_at, links).values_list("cohort_id", flat=True)))


def still_counted_somewhere(*, user, exercise, when: datetime) -> bool:
    """Whether a submission made at `when` would count for at least one of the learner's cohorts.

    The explanation and its reference stay closed while this holds (catalog.selectors).
    """
    return _open_at(when, _learner_links(user_id=user.pk, exercise_id=exercise.pk)).exists()


def counts_for_a_cohort_now(*, user, exercise, when: datetime) -> bool:
    """Whether a submission made at `when` would count for a cohort (False: practice only).

    A learner in no cohort that has the exercise is never "practising": True.
    """
    links = _learner_links(user_id=user.pk, exercise_id=exercise.pk)
    return not links.exists() or still_counted_somewhere(user=user, exercise=exercise, when=when)


def learner_dues(*, user, exercise) -> list[CohortExercise]:
    """The exercise's links in the learner's cohorts, each with `due` (the rule's deadline: None, never)
    and `joined_at` (when the learner joined that cohort), with the cohort; earliest due first."""
    links = _with_due(_learner_links(user_id=user.pk, exercise_id=exercise.pk)).select_related("cohort")
    joined = Membership.objects.filter(cohort_id=OuterRef("cohort_id"), user_id=user.pk).values("joined_at")[:1]
    return list(links.annotate(joined_at=Subquery(joined)).order_by(F("due").asc(nulls_last=True), "cohort_id"))


def counts_flag_condition() -> Q:
    """`counts_for_a_cohort_now` as a filter over Submission rows (to refresh their `counts` flag in bulk)."""
    links = _learner_links(user_id=OuterRef("user_id"), exercise_id=OuterRef("exercise_id"))
    return Q(~Exists(links)) | Q(Exists(_open_at(OuterRef("created_at"), links)))


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
    query = counting_submissions(cohort=cohort).filter(status=Submission.GRADED)
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
        due = tuple(_with_due().filter(cohort=cohort).order_by("exercise_id").values_list("exercise_id", "due"))
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
    graded = counting_submissions(cohort=cohort).filter(status=Submission.GRADED, user_id__in=stamp[1])
    grades, verdicts = _grades_and_verdicts(graded)
    book = GradeBook(grades, verdicts, common_diagnoses(submissions=graded))
    cache.set(key, (stamp, book), GRADE_BOOK_SECONDS)
    return book


@dataclass(slots=True)
class Cell:
    score: float | None = None
    max_score: float | None = None
    attempts: int = 0
    last_activity: datetime | None = None
    hints: int = 0  # hints the learner opened (catalog.HintUnlock); never part of the score
    solved: bool = False  # is_solved: the same test as the solve rate


@dataclass
class LearnerRow:
    user_id: int
    username: str
    name: str
    cells: list[Cell] = field(default_factory=list)
    total: float = 0.0
    last_activity: datetime | None = None


def cohort_links(*, cohort: Cohort) -> list[CohortExercise]:
    """The cohort's exercises in track order, each with `due` (when its attempts stop counting)."""
    return list(
        _with_due()
        .filter(cohort=cohort)
        .select_related("exercise")
        .order_by("exercise__track__order", "exercise__order", "exercise__slug")
    )


def _grid_learners(*, cohort: Cohort, search: str) -> list[tuple[int, str, str]]:
    """The learners the grid shows, by username: (user id, username, public name)."""
    from accounts.models import Profile

    members = Membership.objects.filter(cohort=cohort, role=Membership.LEARNER)
    if search:
        members = members.filter(Q(user__username__icontains=search) | Q(user__profile__display_name__icontains=search))
    # Values, not model instances: a third of the time for 200 learners. The name is the profile's own rule.
    rows = members.order_by("user__username").values_list(
        "user_id", "user__username", "user__profile__user_id", "user__profile__display_name"
    )
    return [
        (user_id, username, Profile(user_id=user_id, display_name=display).public_name if profiled else username)
        for user_id, username, profiled, display in rows
    ]


def _grid_hints(*, learners: list[tuple[int, str, str]], links: list[CohortExercise]) -> dict[tuple[int, int], int]:
    from catalog.selectors import hint_use_for

    return hint_use_for(
        user_ids=[learner[0] for learner in learners], exercise_ids=[link.exercise_id for link in links]
    )


def _grid_rows(
    *, learners: list[tuple[int, str, str]], links: list[CohortExercise], grades: dict, hints: dict
) -> list[LearnerRow]:
    # Per exercise once, not per cell: its id, points and the score that counts as solved (is_solved).
    columns = [(link.exercise_id, link.exercise.points, link.exercise.points - 1e-9) for link in links]
    nothing = Grade()
    rows = []
    for user_id, username, name in learners:
        row = LearnerRow(user_id, username, name)
        for exercise_id, points, full in columns:
            grade = grades.get((user_id, exercise_id), nothing)
            score = grade.score
            cell = Cell(
                score,
                points,
                grade.attempts,
                grade.last_activity,
                hints.get((user_id, exercise_id), 0),
                score is not None and score >= full,
            )
            row.cells.append(cell)
            row.total += score or 0.0
            if cell.last_activity and (row.last_activity is None or cell.last_activity > row.last_activity):
                row.last_activity = cell.last_activity
        rows.append(row)
    return rows


def _only(links: list[CohortExercise], only_exercise: str) -> list[CohortExercise]:
    return [link for link in links if link.exercise.slug == only_exercise] if only_exercise else links


def cohort_grid(
    *, cohort: Cohort, search: str = "", only_exercise: str = "", book: GradeBook | None = None
) -> tuple[list, list[LearnerRow]]:
    """Learners x exercises: best counting score, counting attempts, last counting activity."""
    links = _only(cohort_links(cohort=cohort), only_exercise)
    learners = _grid_learners(cohort=cohort, search=search)
    grades = (book or cohort_grade_book(cohort=cohort)).grades
    return links, _grid_rows(
        learners=learners, links=links, grades=grades, hints=_grid_hints(learners=learners, links=links)
    )


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


class CohortDashboard:
    """The instructor's part of the cohort page: the progress grid and per-exercise statistics.

    `stamp` is a digest of everything they are computed from: the grade book's stamp, the
    learners shown with their names, the hints they opened, the exercises shown (titles,
    points, order), the filters and the time zone. The page keeps its rendering under
    `cache_key` (one per cohort and filter) with the stamp; `rows` and `stats` are computed
    only when the stamp has changed (a few small queries otherwise).
    """

    def __init__(self, *, cohort: Cohort, links: list[CohortExercise], search: str = "", only_exercise: str = ""):
        self.cohort = cohort
        self.grid_links = _only(links, only_exercise)
        self._learners = _grid_learners(cohort=cohort, search=search)
        everyone = None if search else tuple(sorted(learner[0] for learner in self._learners))
        self._book_stamp = grade_book_stamp(cohort=cohort, links=links, learners=everyone)
        self._hints = _grid_hints(learners=self._learners, links=self.grid_links)
        shown = [(link.exercise_id, link.exercise.slug, link.exercise.title, link.exercise.points) for link in links]
        parts = (cohort.pk, self._book_stamp, shown, only_exercise, search, self._learners, sorted(self._hints.items()))
        parts += (timezone.get_current_timezone_name(),)
        self.stamp = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
        filters = hashlib.blake2b(repr((search, only_exercise)).encode(), digest_size=8).hexdigest()
        self.cache_key = f"cohorts:dashboard:{cohort.pk}:{filters}"

    @property
    def learner_count(self) -> int:
        """How many learners the cohort has (learner_count, from the learners the stamp read)."""
        return len(self._book_stamp[1])

    @cached_property
    def book(self) -> GradeBook:
        return cohort_grade_book(cohort=self.cohort, stamp=self._book_stamp)

    @cached_property
    def rows(self) -> list[LearnerRow]:
        return _grid_rows(learners=self._learners, links=self.grid_links, grades=self.book.grades, hints=self._hints)

    @cached_property
    def stats(self) -> list[tuple[object, dict]]:
        exercises = [link.exercise for link in self.grid_links]
        return cohort_stats(cohort=self.cohort, exercises=exercises, book=self.book, learners=self.learner_count)


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
    open_ids = set(_open_at(now).filter(cohort=cohort).values_list("pk", flat=True))
    standings = []
    for link in links:
        grade = grades.get((user.id, link.exercise_id), Grade())
        standings.append(Standing(link, grade, is_solved(grade, link.exercise), link.pk in open_ids))
    return standings


def learner_submissions(*, cohort: Cohort, user_id: int) -> QuerySet[Submission]:
    """The learner's submissions that count for this cohort (what its instructors may see)."""
    return counting_submissions(cohort=cohort).filter(user_id=user_id).select_related("exercise")
