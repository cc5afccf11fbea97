"""Who may see what: learners only their own code, instructors only their cohorts'."""

import pytest
from django.urls import reverse

from cohorts.services import cohort_create, cohort_join
from submissions.services import submission_create

CODE = "def solve(x):\n    return x * 2\n"


@pytest.fixture
def submission(learner, catalogue, sent_tasks):
    return submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)


def test_anonymous_visitors_are_sent_to_log_in(client, submission):
    response = client.get(reverse("submissions:detail", args=[submission.id]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_author_sees_their_submission(client, learner, submission):
    client.force_login(learner)
    assert client.get(reverse("submissions:detail", args=[submission.id])).status_code == 200


def test_another_learner_cannot_see_it(client, make_user, submission):
    client.force_login(make_user("mallory"))
    assert client.get(reverse("submissions:detail", args=[submission.id])).status_code == 403
    assert client.get(reverse("submissions:status", args=[submission.id])).status_code == 403


def test_an_instructor_sees_it_only_if_the_author_is_in_their_cohort(
    client, learner, instructor, make_user, submission, cohort
):
    client.force_login(instructor)
    url = reverse("submissions:detail", args=[submission.id])
    assert client.get(url).status_code == 403

    cohort_join(user=learner, code=cohort.join_code)
    assert client.get(url).status_code == 200

    other = make_user("other-teacher", instructor=True)
    cohort_create(user=other, name="Other", starts_at=cohort.starts_at)
    client.force_login(other)
    assert client.get(url).status_code == 403


def test_only_instructors_create_cohorts(client, learner, instructor):
    client.force_login(learner)
    assert client.get(reverse("cohorts:new")).status_code == 403
    client.force_login(instructor)
    assert client.get(reverse("cohorts:new")).status_code == 200


def test_cohort_pages_are_for_members_and_tools_for_its_instructors(client, learner, make_user, cohort):
    detail = reverse("cohorts:detail", args=[cohort.id])
    export = reverse("cohorts:export", args=[cohort.id])
    client.force_login(make_user("outsider"))
    assert client.get(detail).status_code == 403

    cohort_join(user=learner, code=cohort.join_code)
    client.force_login(learner)
    assert client.get(detail).status_code == 200
    assert client.get(export).status_code == 403
    assert client.post(reverse("cohorts:regrade", args=[cohort.id, "sandbox-probe"])).status_code == 403


def test_cohort_leaderboards_are_for_members(client, make_user, cohort):
    client.force_login(make_user("outsider"))
    assert client.get(reverse("leaderboards:cohort", args=[cohort.id, "sandbox-probe"])).status_code == 403


def test_forms_require_a_csrf_token(learner, catalogue):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    response = strict.post(reverse("submissions:submit", args=["sandbox-probe"]), {"source": CODE})
    assert response.status_code == 403


def test_public_pages_are_open(client, catalogue):
    assert client.get(reverse("catalog:track_list")).status_code == 200
    assert client.get(reverse("catalog:exercise_detail", args=["sandbox-probe"])).status_code == 200
    assert client.get(reverse("leaderboards:exercise", args=["sandbox-probe"])).status_code == 200
