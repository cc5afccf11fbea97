"""The ranking rule, written once (docs, "Learners, instructors, leaderboards"):

1. higher score first (correctness first);
2. then, for performance exercises, the lower best time (no time ranks after any time);
3. then whoever reached that result earlier (submitted first, not graded first);
4. then the lower user id, so that no two entries ever share a place.

Boards order BestResult rows by it, rank_of counts the rows it puts ahead of one, and a
learner's best submission is the first of their attempts by it. Each reads `RULE`.

Only results with points are ranked (`RANKED`): zero points is no result, not last place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q


@dataclass(frozen=True)
class Key:
    """One criterion: the BestResult field, the Submission field it is read from, and its direction."""

    board: str
    submission: str
    descending: bool = False
    board_nullable: bool = False


RANKED = Q(score__gt=0)  # BestResult rows a board shows and ranks

RULE: tuple[Key, ...] = (
    Key("score", "score", descending=True),
    Key("time_value", "time_value", board_nullable=True),
    Key("reached_at", "created_at"),
    Key("user_id", "id"),  # on a learner's own attempts, the earlier row
)


def _order(field: str, key: Key, nullable: bool):
    # A missing value ranks last either way: no score is worse than any, no time slower than any.
    # A column that cannot be null is ordered plainly, as the board indexes are built (no NULLS LAST).
    if not nullable:
        return f"-{field}" if key.descending else field
    return F(field).desc(nulls_last=True) if key.descending else F(field).asc(nulls_last=True)


def board_order() -> list:
    """`order_by` arguments for BestResult rows, best first (the board indexes' order)."""
    return [_order(key.board, key, key.board_nullable) for key in RULE]


def submission_order() -> list:
    """`order_by` arguments for one learner's graded submissions of one exercise, best first."""
    return [_order(key.submission, key, True) for key in RULE]


def _strictly_better(field: str, key: Key, value: Any) -> Q:
    if value is None:  # nulls last: any value beats a missing one
        return Q(**{f"{field}__isnull": False})
    return Q(**{f"{field}__{'gt' if key.descending else 'lt'}": value})


def _same(field: str, value: Any) -> Q:
    return Q(**{f"{field}__isnull": True}) if value is None else Q(**{field: value})


def ahead_of(row) -> Q:
    """BestResult rows the rule puts ahead of `row` (a BestResult): the lexicographic order of RULE."""
    ahead, same = Q(pk__in=[]), Q()
    for key in RULE:
        value = getattr(row, key.board)
        ahead |= same & _strictly_better(key.board, key, value)
        same &= _same(key.board, value)
    return ahead
