"""A learner's board time for a source: the median of every measurement of that program and its variants.

Timings are noisy (33 / 27.5 / 31 ms for the same code): ranking the minimum of many submissions
would reward sending the same code again until a lucky draw. Instead each graded run of the same
code is one more repetition of one measurement: the times of a learner's graded submissions of an
exercise version whose sources are the same program (``normalised``: the same syntax tree, so
comments, blank lines and spacing do not count) are pooled, and every one of them carries their
median as its ``time_value``, the number the boards rank. Each submission's own measurement stays
in its result (``result["leaderboard"]``), which is what is pooled.

Programs whose times lie within the noise of the fastest are pooled too (``board_times``): a new
docstring or a renamed variable makes a new syntax tree, and sending the same code so varied farmed
the best of many one-run medians.
"""

from __future__ import annotations

import ast
import statistics

from submissions.models import Submission

# Runs of one program differ by up to ~12 % between gradings (33 / 27.5 / 31 / 34 ms): programs whose
# medians lie within twice that of the fastest are taken to be the same speed, and pooled.
NOISE = 0.25


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


def board_times(programs: dict[str, list[float]]) -> dict[str, float]:
    """Each program's board time, from the times of its runs (programs of one learner, version and score).

    A program's own time is the median of its runs. But every program whose median lies within NOISE of
    the fastest one's is pooled, and all of them take the median of the pool: variants of one program
    (a new docstring, a renamed variable, any no-op edit: no normal form can tell them all apart) are
    more draws of one measurement, never a best of many. A program faster by more than the noise keeps
    its own median (it is a faster program); slower ones keep theirs (they rank below the pool anyway).
    """
    medians = {program: statistics.median(times) for program, times in programs.items() if times}
    if not medians:
        return {}
    fastest = min(medians.values())
    pooled = [program for program, median in medians.items() if median <= fastest * (1 + NOISE)]
    board = statistics.median([t for program in pooled for t in programs[program]])
    return {program: board if program in pooled else median for program, median in medians.items()}


def board_time_refresh(*, submission: Submission) -> float | None:
    """Pool the measurements of ``submission``'s program and its variants; give each run its board time.

    Runs are pooled per score (a faster wrong program never lends its times to a right one), then by
    ``board_times``. Returns the board time of ``submission`` (None where it has no time)."""
    if measured_time(submission) is None:
        return None
    runs = Submission.objects.filter(
        user_id=submission.user_id,
        exercise_id=submission.exercise_id,
        exercise_version_id=submission.exercise_version_id,
        score=submission.score,
        status=Submission.GRADED,
    ).only("id", "source", "result")
    programs: dict[str, list[tuple[int, float]]] = {}
    for run in runs:
        seconds = measured_time(run)
        if seconds is not None:
            programs.setdefault(normalised(run.source), []).append((run.id, seconds))
    boards = board_times({program: [t for _, t in timed] for program, timed in programs.items()})
    for program, timed in programs.items():
        Submission.objects.filter(id__in=[i for i, _ in timed]).update(time_value=boards[program])
    submission.time_value = boards.get(normalised(submission.source))
    return submission.time_value
