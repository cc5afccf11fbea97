"""Grade passback hook: a finished grading sends the learner's score to their LMS.

Listens to `submissions.signals.submission_graded`, which is sent once the grading's
transaction has committed.
"""

from __future__ import annotations

import logging

log = logging.getLogger("tensordojo.lti")


def on_graded(sender, submission, **kwargs) -> None:
    """Send the learner's score to every LMS line item that placement links it to."""
    from lti.services import scores_send_for_submission

    try:
        scores_send_for_submission(submission)
    except Exception:  # a passback failure must never undo or break a grading
        log.exception("grade passback failed", extra={"submission_id": str(submission.id)})


def connect() -> None:
    from submissions.signals import submission_graded

    submission_graded.connect(on_graded, dispatch_uid="lti-grade-passback")
