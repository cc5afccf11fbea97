"""Signals other apps listen to (grade passback, notifications), sent only after the commit.

    submission_graded(sender=Submission, submission=<Submission>, grading=<Grading>)

Sent once per finished grading that produced a verdict (not for `error`), after the
transaction that recorded it committed, so a receiver never sees a grade that could
still roll back. A receiver that raises is logged and does not undo the grading.
"""

from __future__ import annotations

from django.dispatch import Signal

submission_graded = Signal()
