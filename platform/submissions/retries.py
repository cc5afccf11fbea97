"""Retry budgets of the grading task: each reason to retry spends its own budget.

Four "busy" answers (another live worker holds the submission) must not make the next
infrastructure error final, so busy, infrastructure and database retries are counted
apart, each with its own limit and backoff (limits in settings: GRADING_*_RETRIES).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import models


class RetryReason(models.TextChoices):
    BUSY = "busy", "another live worker is grading it"
    INFRASTRUCTURE = "infrastructure", "our infrastructure failed"
    DATABASE = "database", "the database was unavailable"


def _limit(reason: RetryReason) -> int:
    return {
        RetryReason.BUSY: settings.GRADING_BUSY_RETRIES,
        RetryReason.INFRASTRUCTURE: settings.GRADING_MAX_RETRIES,
        RetryReason.DATABASE: settings.GRADING_DATABASE_RETRIES,
    }[reason]


def _countdown(reason: RetryReason, spent: int) -> float:
    """Seconds before the retry numbered ``spent`` (1 for the first)."""
    if reason == RetryReason.BUSY:
        return settings.GRADING_HEARTBEAT_STALE  # by then a live worker's heartbeat would be overdue
    ceiling = 30 if reason == RetryReason.DATABASE else 60
    return min(ceiling, 2**spent)


@dataclass
class RetryBudgets:
    """How many retries each reason has spent for one submission's task (carried in its kwargs)."""

    spent: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict | None) -> RetryBudgets:
        known = {reason.value for reason in RetryReason}
        return cls({k: int(v) for k, v in (data or {}).items() if k in known})

    def as_dict(self) -> dict[str, int]:
        return dict(self.spent)

    def spend(self, reason: RetryReason) -> float | None:
        """Spend one retry of ``reason``: the countdown before it, or None when its budget is gone."""
        used = self.spent.get(reason.value, 0)
        if used >= _limit(reason):
            return None
        self.spent[reason.value] = used + 1
        return _countdown(reason, used + 1)
