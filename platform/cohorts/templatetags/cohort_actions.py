"""What an instructor may do from pages other apps render (the submission page's re-grade button)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def may_regrade(user, submission) -> bool:
    """Whether `user` may re-grade this submission (cohorts.services.may_regrade_submission)."""
    from cohorts.services import may_regrade_submission

    return may_regrade_submission(user=user, submission=submission)
