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


class TestTwoInstructorsShareALearner:
    """Work that counts only for another instructor's cohort stays with that instructor (the counting rule)."""

    @pytest.fixture
    def shared(self, learner, instructor, make_user, cohort, catalogue, sent_tasks):
        from django.utils import timezone

        from cohorts.services import cohort_set_deadline

        other = make_user("other-teacher", instructor=True)
        autumn = cohort_create(user=other, name="Autumn", starts_at=cohort.starts_at)
        cohort_join(user=learner, code=cohort.join_code)
        cohort_join(user=learner, code=autumn.join_code)
        exercise = catalogue["sandbox-probe"]
        past = timezone.now() - timezone.timedelta(hours=1)
        cohort_set_deadline(user=instructor, cohort=cohort, exercise=exercise, deadline=past)
        late = submission_create(user=learner, exercise=exercise, source=CODE)  # counts for Autumn only
        return {"spring": cohort, "autumn": autumn, "other": other, "late": late, "exercise": exercise}

    def test_only_the_instructor_it_counts_for_sees_the_submission(self, client, instructor, shared):
        url = reverse("submissions:detail", args=[shared["late"].id])
        client.force_login(instructor)
        assert client.get(url).status_code == 403
        assert client.get(reverse("api:submission", args=[shared["late"].id])).status_code == 404
        client.force_login(shared["other"])
        assert client.get(url).status_code == 200

    def test_the_learner_page_lists_only_submissions_that_count_for_that_cohort(
        self, client, learner, instructor, shared
    ):
        client.force_login(instructor)
        page = client.get(reverse("cohorts:learner", args=[shared["spring"].id, learner.id])).content.decode()
        assert str(shared["late"].id) not in page
        client.force_login(shared["other"])
        page = client.get(reverse("cohorts:learner", args=[shared["autumn"].id, learner.id])).content.decode()
        assert str(shared["late"].id) in page

    def test_a_regrade_leaves_the_other_cohorts_work_alone(self, instructor, shared):
        from cohorts.services import cohort_regrade
        from submissions.models import Submission

        assert cohort_regrade(user=instructor, cohort=shared["spring"], exercise=shared["exercise"]) == 0
        assert Submission.objects.get(pk=shared["late"].pk).lane != Submission.REGRADE

    def test_statistics_count_only_their_own_cohorts_work(self, shared):
        from cohorts.selectors import exercise_stats
        from tests.platform.conftest import graded

        graded(shared["late"], score=10)
        spring = exercise_stats(cohort=shared["spring"], exercise=shared["exercise"])
        autumn = exercise_stats(cohort=shared["autumn"], exercise=shared["exercise"])
        assert (spring["attempts"], spring["solved"]) == (0, 0)
        assert (autumn["attempts"], autumn["solved"]) == (1, 1)

    def test_an_exercise_outside_the_cohort_stays_hidden(self, client, learner, make_user, catalogue, sent_tasks):
        from django.utils import timezone

        teacher = make_user("narrow-teacher", instructor=True)
        narrow = cohort_create(
            user=teacher, name="Narrow", starts_at=timezone.now(), exercises=[catalogue["timing-probe"]]
        )
        cohort_join(user=learner, code=narrow.join_code)
        elsewhere = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)
        client.force_login(teacher)
        assert client.get(reverse("submissions:detail", args=[elsewhere.id])).status_code == 403
