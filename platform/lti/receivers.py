"""Grade passback hook: a finished grading sends the learner's score to their LMS.

Listens to `submissions.signals.submission_graded` (sent after the grading's transaction
committed). Where that signal does not exist, falls back to Django's post_save on
Submission filtered to status graded, acting once the transaction commits.
"""

from __future__ import annotations

import logging

from django.db import transaction

log = logging.getLogger("tensordojo.lti")


def on_graded(sender, submission, **kwargs) -> None:
    """Send the learner's score to every LMS line item that placement links it to."""
    from lti.services import scores_send_for_submission

    try:
        scores_send_for_submission(submission)
    except Exception:  # a passback failure must never undo or break a grading
        log.exception("grade passback failed", extra={"submission_id": str(submission.id)})


def _on_saved(sender, instance, created, **kwargs) -> None:
    if instance.status == "graded":
        transaction.on_commit(lambda: on_graded(sender, instance))


def connect() -> None:
    try:
        from submissions.signals import submission_graded
    except ImportError:
        from django.db.models.signals import post_save

        from submissions.models import Submission

        post_save.connect(_on_saved, sender=Submission, dispatch_uid="lti-grade-passback")
    else:
        submission_graded.connect(on_graded, dispatch_uid="lti-grade-passback")
