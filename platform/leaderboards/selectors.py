"""Leaderboards: the rows of a board, a learner's place on it, and its lines to beat.

The order is the ranking rule (leaderboards.ranking), read from there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from accounts.models import Profile
from grader.lines import line_names
from leaderboards.models import BestResult, LineTime
from leaderboards.ranking import RANKED, ahead_of, board_order


@dataclass
class Row:
    rank: int
    name: str
    score: float
    time_value: float | None
    reached_at: object
    attempts: int
    is_me: bool


def leaderboard(*, exercise, cohort=None, limit: int = 100, offset: int = 0, me=None) -> list[Row]:
    query = BestResult.objects.filter(RANKED, exercise=exercise, cohort=cohort).order_by(*board_order())
    # Values, not three model instances per row: a board page is a hundred rows.
    rows = query.values_list(
        "user_id",
        "score",
        "time_value",
        "reached_at",
        "attempts",
        "user__profile__user_id",
        "user__profile__display_name",
    )[offset : offset + limit]
    return [
        Row(
            rank=offset + index + 1,
            name=Profile(user_id=user_id, display_name=display).public_name if profiled else f"learner-{user_id}",
            score=score,
            time_value=time_value,
            reached_at=reached_at,
            attempts=attempts,
            is_me=bool(me and user_id == me.id),
        )
        for index, (user_id, score, time_value, reached_at, attempts, profiled, display) in enumerate(rows)
    ]


def rank_of(*, exercise, user, cohort=None) -> int | None:
    """1-based position of the user on the board, counted with an indexed query."""
    mine = BestResult.objects.filter(RANKED, exercise=exercise, cohort=cohort, user=user).first()
    if mine is None:
        return None
    return BestResult.objects.filter(RANKED, exercise=exercise, cohort=cohort).filter(ahead_of(mine)).count() + 1


@dataclass(frozen=True)
class BoardLine:
    """One measured line, as the board shows it."""

    label: str
    seconds: float
    device: str
    measured_at: object
    by_device_check: bool
    current: bool  # measured on the exercise's current version (its timed shapes as they are)


@dataclass(frozen=True)
class BoardLines:
    """The lines to beat of one exercise: ``shown`` only where its folder has line files."""

    shown: bool = False
    gpu: bool = False
    lines: list[BoardLine] = field(default_factory=list)


def board_lines(*, exercise) -> BoardLines:
    """The measured lines of the exercise's line files, fastest first (a line whose file is gone is not shown)."""
    names = line_names(Path(settings.EXERCISES_DIR) / exercise.slug)
    if not names:
        return BoardLines()
    rows = (
        LineTime.objects.filter(exercise=exercise, name__in=names)
        .order_by("seconds", "name")
        .values_list(
            "label",
            "seconds",
            "device",
            "measured_at",
            "measured_by",
            "exercise_version",
            "exercise__current_version__version",
        )
    )
    return BoardLines(
        shown=True,
        gpu=exercise.gpu,
        lines=[
            BoardLine(
                label=label,
                seconds=seconds,
                device=device,
                measured_at=measured_at,
                by_device_check=measured_by == LineTime.MeasuredBy.DEVICE_CHECK,
                current=version == current,
            )
            for label, seconds, device, measured_at, measured_by, version, current in rows
        ],
    )
