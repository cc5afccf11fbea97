"""Re-grading one submission from its page (issue 23 item 11)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from cohorts.services import cohort_create, cohort_join
from submissions.models import Submission
from submissions.services import submission_create
from tests.platform.conftest import graded
from tests.platform.test_grade_book import CODE, SLUG


def a_graded_submission(learner, catalogue):
    return graded(submission_create(user=learner, exercise=catalogue[SLUG], source=CODE), score=3)


def test_an_instructor_regrades_one_submission_from_its_page(
    client, instructor, learner, cohort, catalogue, sent_tasks
):
    cohort_join(user=learner, code=cohort.join_code)
    submission = a_graded_submission(learner, catalogue)
    other = a_graded_submission(learner, catalogue)
    client.force_login(instructor)
    page = client.get(reverse("submissions:detail", args=[submission.id])).content.decode()
    action = reverse("cohorts:regrade_submission", args=[submission.id])
    assert f'action="{action}"' in page

    response = client.post(action, follow=True)
    assert response.redirect_chain[-1][0] == reverse("submissions:detail", args=[submission.id])
    assert "queued for re-grading" in response.content.decode()
    submission.refresh_from_db()
    other.refresh_from_db()
    assert (submission.status, submission.lane) == (Submission.QUEUED, Submission.REGRADE)
    assert other.status == Submission.GRADED  # only that one


def test_only_an_instructor_whose_cohort_it_counts_for_may_regrade_it(
    client, instructor, learner, make_user, cohort, catalogue, sent_tasks
):
    cohort_join(user=learner, code=cohort.join_code)
    submission = a_graded_submission(learner, catalogue)
    stranger = make_user("elsewhere", instructor=True)
    cohort_create(user=stranger, name="Other", starts_at=timezone.now())
    for user in (learner, stranger):
        client.force_login(user)
        assert client.post(reverse("cohorts:regrade_submission", args=[submission.id])).status_code == 403
        page = client.get(reverse("submissions:detail", args=[submission.id]))
        assert b"regrade-one" not in page.content
    submission.refresh_from_db()
    assert submission.status == Submission.GRADED
