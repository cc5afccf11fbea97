"""A learner's board time for a source: the median of every measurement of that source, not the best.

Timings are noisy (33 / 27.5 / 31 ms for the same code): ranking the minimum of many submissions
would reward sending the same code again until a lucky draw. Instead each graded run of the same
code is one more repetition of one measurement: the times of a learner's graded submissions of an
exercise version whose sources are the same program (``normalised``: the same syntax tree, so
comments, blank lines and spacing do not count) are pooled, and every one of them carries their
median as its ``time_value``, the number the boards rank. Each submission's own measurement stays
in its result (``result["leaderboard"]``), which is what is pooled.
"""

from __future__ import annotations

import ast
import statistics

from submissions.models import Submission


def normalised(source: str) -> str:
    """The program a source is, for comparing sources: its syntax tree (the text if it does not parse)."""
    try:
        return ast.dump(ast.parse(source))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return source


def measured_time(submission: Submission) -> float | None:
    """The time this submission's own grading measured (the grader's median over its repetitions)."""
    for entry in (submission.result or {}).get("leaderboard", []):
        if isinstance(entry, dict) and entry.get("name") == "time":
            value = entry.get("value")
            return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    return None


def board_time_refresh(*, submission: Submission) -> float | None:
    """Pool the measurements of ``submission``'s source and give each run of it their median.

    Returns the board time of that source (None where the submission has no time)."""
    if measured_time(submission) is None:
        return None
    program = normalised(submission.source)
    runs = Submission.objects.filter(
        user_id=submission.user_id,
        exercise_id=submission.exercise_id,
        exercise_version_id=submission.exercise_version_id,
        status=Submission.GRADED,
    ).only("id", "source", "result")
    same = [(run.id, measured_time(run)) for run in runs if normalised(run.source) == program]
    times = [t for _, t in same if t is not None]
    board = statistics.median(times)
    Submission.objects.filter(id__in=[i for i, t in same if t is not None]).update(time_value=board)
    submission.time_value = board
    return board
