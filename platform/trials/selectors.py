"""Reads of trial runs: a learner sees only their own."""

from __future__ import annotations

from trials.models import TrialRun


def trial_get(*, user, trial_id) -> TrialRun | None:
    if not user.is_authenticated:
        return None
    return TrialRun.objects.select_related("exercise").filter(id=trial_id, user=user).first()
