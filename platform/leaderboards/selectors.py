"""Leaderboards. The ranking rule, documented in the README:

1. higher score first (correctness first);
2. then, for performance exercises, the lower best time;
3. then whoever reached that result earlier.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Q

from accounts.models import Profile
from leaderboards.models import BestResult


@dataclass
class Row:
    rank: int
    name: str
    score: float
    time_value: float | None
    reached_at: object
    attempts: int
    is_me: bool


def _ordering():
    return ["-score", F("time_value").asc(nulls_last=True), "reached_at", "user_id"]


def leaderboard(*, exercise, cohort=None, limit: int = 100, offset: int = 0, me=None) -> list[Row]:
    query = BestResult.objects.filter(exercise=exercise, cohort=cohort).order_by(*_ordering())
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
    mine = BestResult.objects.filter(exercise=exercise, cohort=cohort, user=user).first()
    if mine is None:
        return None
    better = Q(score__gt=mine.score)
    same_score = Q(score=mine.score)
    if mine.time_value is not None:
        better |= same_score & (
            Q(time_value__lt=mine.time_value) | Q(time_value=mine.time_value, reached_at__lt=mine.reached_at)
        )
    else:
        better |= same_score & (Q(time_value__isnull=False) | Q(reached_at__lt=mine.reached_at))
    return BestResult.objects.filter(exercise=exercise, cohort=cohort).filter(better).count() + 1
