"""The one check of learner code at the door, for both lanes (a submission and a Run).

It returns the learner-facing reason the code cannot be taken, or None; each lane raises
its own refusal with that reason, so the words are the same whichever button was pressed.
"""

from __future__ import annotations

from django.conf import settings


def source_problem(source: object) -> str | None:
    """Why ``source`` cannot be graded or run (size, empty, NUL byte, not text), or None when it can."""
    if not isinstance(source, str):
        return "The code must be text."
    size = len(source.encode("utf-8", errors="replace"))
    if size > settings.SUBMISSION_MAX_BYTES:
        return f"Your code is {size // 1024} KiB; the limit is {settings.SUBMISSION_MAX_BYTES // 1024} KiB."
    if not source.strip():
        return "There is no code: the editor is empty."
    if "\x00" in source:
        return "The code contains a NUL byte; paste it as plain text."
    return None
