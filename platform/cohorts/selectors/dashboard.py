"""The instructor's dashboard: the progress grid (learners x exercises) and its cached rendering."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.db.models import Q
from django.utils import timezone

from cohorts.models import Cohort, CohortExercise, Membership
from cohorts.selectors.counting import cohort_links
from cohorts.selectors.grade_book import (
    Grade,
    GradeBook,
    RegradeProgress,
    cohort_grade_book,
    cohort_stats,
    grade_book_stamp,
    regrade_progress,
)


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
        self.links = links
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
    def regrade(self) -> RegradeProgress | None:
        """The re-grade under way, if any (regrade_progress, under the same stamp as the book)."""
        return regrade_progress(cohort=self.cohort, stamp=self._book_stamp)

    @cached_property
    def book(self) -> GradeBook:
        return cohort_grade_book(cohort=self.cohort, stamp=self._book_stamp)

    @cached_property
    def rows(self) -> list[LearnerRow]:
        return _grid_rows(learners=self._learners, links=self.grid_links, grades=self.book.grades, hints=self._hints)

    @cached_property
    def solves_per_day(self):
        """The cohort's solves per day against its deadlines (cohorts.charts), drawn once per stamp."""
        from cohorts.charts import solves_per_day

        return solves_per_day(cohort=self.cohort, links=self.links, stamp=self._book_stamp)

    @cached_property
    def score_spread(self):
        """Each shown exercise's score distribution (cohorts.charts), drawn once per stamp."""
        from cohorts.charts import score_spread

        exercises = [link.exercise for link in self.grid_links]
        stamp = (self._book_stamp, [e.pk for e in exercises])
        return score_spread(
            cohort=self.cohort, exercises=exercises, book=self.book, learners=self.learner_count, stamp=stamp
        )

    @cached_property
    def stats(self) -> list[tuple[object, dict]]:
        exercises = [link.exercise for link in self.grid_links]
        return cohort_stats(cohort=self.cohort, exercises=exercises, book=self.book, learners=self.learner_count)
