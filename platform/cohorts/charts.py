"""A cohort's pictures for its instructors (issue 23 item 14): solves per day against each deadline,
and each exercise's score distribution, drawn as accessible SVG with their numbers in a table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F, Min
from django.utils import timezone

from charts.svg import ACCENT, MUTED, OK, WARN, Chart, cached_chart, figure, style, to_svg
from cohorts.models import Cohort, CohortExercise
from cohorts.selectors.grade_book import GradeBook, book_submissions


@dataclass(frozen=True)
class SolvesPerDay:
    days: list[tuple[date, int]]  # every day from the first solve (or deadline) to the last, with its solves
    deadlines: list[tuple[date, str]]  # (local day, exercise title)
    chart: Chart | None


@dataclass(frozen=True)
class ScoreSpread:
    rows: list[tuple[str, int, int, int, int]]  # (exercise title, not graded, 0 points, part, full marks)
    chart: Chart | None


def _first_solves(cohort: Cohort) -> list[date]:
    """The local day each learner first reached full marks on each exercise, in what counts for the cohort."""
    firsts = (
        book_submissions(cohort=cohort)
        .filter(score__gte=F("exercise__points") - 1e-9)
        .values("user_id", "exercise_id")
        .annotate(first=Min("created_at"))
        .values_list("first", flat=True)
    )
    return [timezone.localdate(when) for when in firsts]


def solves_per_day(*, cohort: Cohort, links: list[CohortExercise], stamp: object) -> SolvesPerDay:
    solves = _first_solves(cohort)
    deadlines = sorted((timezone.localdate(link.due), link.exercise.title) for link in links if link.due is not None)
    known = solves + [day for day, _ in deadlines]
    if not solves:
        return SolvesPerDay([], deadlines, None)
    first, last = min(known), max(known)
    first = min(first, last - timedelta(days=6))  # at least a week, so one busy day is not a wall
    counts = {first + timedelta(days=n): 0 for n in range((last - first).days + 1)}
    for day in solves:
        counts[day] += 1
    days = sorted(counts.items())

    def draw() -> Chart:
        fig = figure()
        ax = fig.add_subplot()
        ax.bar([d for d, _ in days], [n for _, n in days], color=ACCENT, width=0.8)
        for day, title in deadlines:
            ax.axvline(day, color=WARN, linestyle="--", linewidth=1)
            ax.annotate(
                title,
                (day, 1),
                xycoords=("data", "axes fraction"),
                rotation=90,
                va="top",
                ha="right",
                fontsize=7,
                color=WARN,
            )
        ax.set_ylabel("exercises solved")
        ax.yaxis.get_major_locator().set_params(integer=True)
        from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

        locator = AutoDateLocator(minticks=3, maxticks=8, interval_multiples=True)
        locator.intervald["HOURLY"] = []  # days are the unit here
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        ax.set_xlim(first - timedelta(days=1), last + timedelta(days=1))
        style(ax)
        title = f"{cohort.name}: exercises solved per day, with each deadline"
        busiest = max(days, key=lambda item: item[1])
        desc = (
            f"{len(solves)} first solves from {first:%Y-%m-%d} to {last:%Y-%m-%d}; the busiest day was "
            f"{busiest[0]:%Y-%m-%d} with {busiest[1]}. Dashed lines mark {len(deadlines)} deadline(s). "
            "The table beside gives every day's number."
        )
        return Chart(to_svg(fig, key=f"solves-{cohort.pk}", title=title, desc=desc), title, desc)

    return SolvesPerDay(days, deadlines, cached_chart(f"cohort-solves:{cohort.pk}", (stamp, days, deadlines), draw))


def score_spread(*, cohort: Cohort, exercises: list, book: GradeBook, learners: int, stamp: object) -> ScoreSpread:
    rows = []
    for exercise in exercises:
        scores = [g.score for (_, e), g in book.grades.items() if e == exercise.id and g.score is not None]
        full = sum(1 for s in scores if s >= exercise.points - 1e-9)
        zero = sum(1 for s in scores if s <= 0)
        rows.append((exercise.title, max(learners - len(scores), 0), zero, len(scores) - full - zero, full))
    if not rows or not learners:
        return ScoreSpread(rows, None)

    def draw() -> Chart:
        fig = figure(height=0.5 + 0.32 * len(rows))
        ax = fig.add_subplot()
        names = [row[0] for row in rows][::-1]
        left = [0] * len(rows)
        for column, label, colour in (
            (4, "full marks", OK),
            (3, "part", ACCENT),
            (2, "0 points", WARN),
            (1, "not graded", "#d9dee7"),
        ):
            values = [row[column] for row in rows][::-1]
            ax.barh(names, values, left=left, color=colour, label=label, height=0.7)
            left = [a + b for a, b in zip(left, values, strict=True)]
        ax.set_xlabel("learners")
        ax.set_xlim(0, learners)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=4, frameon=False, fontsize=7, labelcolor=MUTED)
        style(ax)
        title = f"{cohort.name}: how {learners} learners stand on each exercise"
        solved = max(rows, key=lambda row: row[4])
        desc = (
            f"For each of {len(rows)} exercises, learners with full marks, part marks, 0 points, or no graded "
            f"attempt. Most solved: {solved[0]} ({solved[4]} of {learners}). The table beside gives every number."
        )
        return Chart(to_svg(fig, key=f"spread-{cohort.pk}", title=title, desc=desc), title, desc)

    return ScoreSpread(rows, cached_chart(f"cohort-spread:{cohort.pk}", (stamp, rows), draw))
