"""Leaderboards. The ranking rule, documented in the README:

1. higher score first (correctness first);
2. then, for performance exercises, the lower best time;
3. then whoever reached that result earlier.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Q

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
    query = BestResult.objects.filter(exercise=exercise, cohort=cohort).select_related("user__profile")
    rows = query.order_by(*_ordering())[offset : offset + limit]
    return [
        Row(
            rank=offset + index + 1,
            name=_public_name(best.user),
            score=best.score,
            time_value=best.time_value,
            reached_at=best.reached_at,
            attempts=best.attempts,
            is_me=bool(me and best.user_id == me.id),
        )
        for index, best in enumerate(rows)
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


def _public_name(user) -> str:
    profile = getattr(user, "profile", None)
    return profile.public_name if profile else f"learner-{user.id}"
