"""The lanes of the one pipeline, by the name their task messages carry (see submissions.pipeline)."""

from __future__ import annotations

from submissions import pipeline, services
from submissions.dispatch import SUBMISSION_LANE
from trials import services as trials

LANES: dict[str, pipeline.Lane] = {lane.name: lane for lane in (services.LANE, trials.LANE)}
assert SUBMISSION_LANE in LANES


def lane_named(name: str | None) -> pipeline.Lane:
    """The lane a task message names (a message without one is a submission's)."""
    return LANES[name or SUBMISSION_LANE]


def sweep_all(*, queued_after_s: int | None = None) -> dict:
    """Every lane's sweep; the counts are the submissions' (as before) plus one entry per other lane."""
    counts = services.submissions_sweep(queued_after_s=queued_after_s)
    for name, lane in LANES.items():
        if lane is not services.LANE:
            counts[name] = pipeline.sweep(lane, queued_after_s=queued_after_s)
    return counts


def resend_all() -> dict:
    """Every lane's resend after a worker start, submissions first."""
    return {name: pipeline.resend_unfinished(lane) for name, lane in LANES.items()}
