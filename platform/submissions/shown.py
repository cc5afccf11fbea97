"""What of a stored results.json a person is shown (the API and every page), applied where it leaves.

The grader's `extra` holds its own bookkeeping beside what a learner may read: `case_pool`, the
index of the seed pool the hidden and timed inputs were drawn from, says which inputs a
submission met and must never reach a learner. Only the keys named here are shown; results
already stored with more are filtered the same way, at the serializer and template boundary.
"""

from __future__ import annotations

SHOWN_EXTRA = frozenset({"reference_time"})  # the reference solution's time, on performance exercises


def result_shown(result: dict | None) -> dict:
    """``result`` without what a learner must not see (a new dict; the stored one is untouched)."""
    if not isinstance(result, dict):
        return {}
    shown = dict(result)
    extra = result.get("extra")
    if isinstance(extra, dict):
        shown["extra"] = {key: value for key, value in extra.items() if key in SHOWN_EXTRA}
    elif "extra" in shown:
        shown["extra"] = {}
    return shown
