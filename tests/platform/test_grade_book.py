"""The instructor's grade book: counts that read right, deadlines edited safely, mistakes in words,
re-grades confirmed, exercises by title."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.services import cohort_join, cohort_set_deadline
from grader.results import CaseResult, CaseStatus
from submissions.models import Submission, SubmissionDiagnosis
from submissions.services import submission_create, submission_finish, submission_start
from tests.platform.conftest import graded, grading_result

CODE = "def solve(x):\n    return x * 2\n"
SLUG = "sandbox-probe"
WORDS = "You multiplied element by element where a matrix product was asked."


def graded_with_mistake(user, exercise, cases=3):
    """A submission whose grading named the same likely mistake in `cases` cases."""
    submission = submission_create(user=user, exercise=exercise, source=CODE)
    claim = submission_start(submission_id=submission.id, worker="test")
    mistakes = [
        CaseResult(
            name=f"case {n}",
            visible=True,
            status=CaseStatus.FAILED,
            score=0,
            max_score=1,
            diagnosis="elementwise-product",
            diagnosis_message=WORDS,
        )
        for n in range(cases)
    ]
    result = grading_result(verdict="wrong_answer", score=0.0, cases=mistakes, leaderboard=[])
    submission_finish(submission_id=submission.id, attempt=claim.attempt, result=result)
    return submission


def detail(client, user, cohort) -> str:
    client.force_login(user)
    return client.get(reverse("cohorts:detail", args=[cohort.id])).content.decode()


class TestLearnerCounts:
    def test_the_cohort_list_counts_learners_for_the_instructor_and_for_a_learner(
        self, client, instructor, learner, make_user, cohort
    ):
        cohort_join(user=learner, code=cohort.join_code)
        cohort_join(user=make_user("bob"), code=cohort.join_code)
        for user in (instructor, learner):
            client.force_login(user)
            assert "· 2 learners" in client.get(reverse("cohorts:list")).content.decode()

    def test_one_learner_is_singular_and_none_is_zero(self, client, instructor, learner, cohort):
        client.force_login(instructor)
        assert "· 0 learners" in client.get(reverse("cohorts:list")).content.decode()
        cohort_join(user=learner, code=cohort.join_code)
        assert "· 1 learner<" in client.get(reverse("cohorts:list")).content.decode()


class TestDeadlines:
    def test_the_deadline_field_shows_the_current_deadline_and_its_timezone(self, client, instructor, cohort):
        client.force_login(instructor)
        client.post(reverse("cohorts:deadline", args=[cohort.id]), {"exercise": SLUG, "deadline": "2030-01-01T12:00"})
        page = detail(client, instructor, cohort)
        assert 'value="2030-01-01T12:00"' in page
        assert "Deadline (UTC)" in page and "2030-01-01 12:00 UTC" in page

    def test_an_empty_deadline_is_an_error_and_changes_nothing(self, client, instructor, cohort, catalogue):
        cohort_set_deadline(user=instructor, cohort=cohort, exercise=catalogue[SLUG], deadline=timezone.now())
        client.force_login(instructor)
        response = client.post(
            reverse("cohorts:deadline", args=[cohort.id]),
            {"exercise": SLUG, "deadline": "", "action": "set"},
            follow=True,
        )
        assert "Deadline not changed" in response.content.decode()
        assert cohort.cohort_exercises.get(exercise__slug=SLUG).deadline is not None

    def test_removing_a_deadline_is_its_own_button(self, client, instructor, cohort, catalogue):
        cohort_set_deadline(user=instructor, cohort=cohort, exercise=catalogue[SLUG], deadline=timezone.now())
        assert 'value="remove"' in detail(client, instructor, cohort)
        response = client.post(
            reverse("cohorts:deadline", args=[cohort.id]), {"exercise": SLUG, "action": "remove"}, follow=True
        )
        assert "removed" in response.content.decode()
        assert cohort.cohort_exercises.get(exercise__slug=SLUG).deadline is None

    def test_a_deadline_for_an_exercise_outside_the_cohort_is_refused(self, client, instructor, make_user, catalogue):
        from cohorts.services import cohort_create

        narrow = cohort_create(
            user=instructor, name="Narrow", starts_at=timezone.now(), exercises=[catalogue["timing-probe"]]
        )
        client.force_login(instructor)
        response = client.post(
            reverse("cohorts:deadline", args=[narrow.id]), {"exercise": SLUG, "deadline": "2030-01-01T12:00"}
        )
        assert response.status_code == 404
        assert not narrow.cohort_exercises.filter(exercise__slug=SLUG).exists()


class TestDiagnoses:
    def test_common_mistakes_count_learners_and_submissions_in_words(
        self, client, instructor, learner, make_user, cohort, catalogue, sent_tasks
    ):
        bob = make_user("bob")
        for user in (learner, bob):
            cohort_join(user=user, code=cohort.join_code)
        graded_with_mistake(learner, catalogue[SLUG])
        graded_with_mistake(learner, catalogue[SLUG])
        graded_with_mistake(bob, catalogue[SLUG])
        assert SubmissionDiagnosis.objects.count() == 3  # one row per submission, not per case

        page = detail(client, instructor, cohort)

        assert WORDS in page and "2 learners, 3 submissions" in page
        assert "elementwise-product" not in page


class TestRegrade:
    def test_regrade_asks_first_and_says_how_many(self, client, instructor, learner, cohort, catalogue, sent_tasks):
        cohort_join(user=learner, code=cohort.join_code)
        graded(submission_create(user=learner, exercise=catalogue[SLUG], source=CODE), score=3)
        graded(submission_create(user=learner, exercise=catalogue[SLUG], source=CODE), score=10)
        client.force_login(instructor)

        page = client.get(reverse("cohorts:regrade", args=[cohort.id, SLUG])).content.decode()

        assert "Re-grade 2 submissions" in page and "from 1 learner " in page
        assert not Submission.objects.filter(status=Submission.QUEUED).exists()  # asking changed nothing
        response = client.post(reverse("cohorts:regrade", args=[cohort.id, SLUG]), follow=True)
        assert "2 submissions queued for re-grading" in response.content.decode()
        assert Submission.objects.filter(status=Submission.QUEUED).count() == 2

    def test_the_detail_page_links_to_the_confirmation_instead_of_posting(self, client, instructor, cohort):
        page = detail(client, instructor, cohort)
        assert f'href="{reverse("cohorts:regrade", args=[cohort.id, SLUG])}"' in page


class TestTitles:
    def test_new_cohort_checkboxes_show_exercise_titles(self, client, instructor, catalogue):
        client.force_login(instructor)
        page = client.get(reverse("cohorts:new")).content.decode()
        assert "Sandbox probe" in page and "Timing probe" in page
        assert "> sandbox-probe<" not in page and ">sandbox-probe<" not in page

    def test_grid_columns_are_headed_by_titles(self, client, instructor, learner, cohort):
        cohort_join(user=learner, code=cohort.join_code)
        page = detail(client, instructor, cohort)
        assert 'title="Sandbox probe">Sandbox probe</th>' in page


@pytest.mark.parametrize("count,text", [(1, "1 submission queued"), (0, "0 submissions queued")])
def test_the_regrade_message_is_pluralised(client, instructor, learner, cohort, catalogue, sent_tasks, count, text):
    cohort_join(user=learner, code=cohort.join_code)
    for _ in range(count):
        graded(submission_create(user=learner, exercise=catalogue[SLUG], source=CODE), score=3)
    client.force_login(instructor)
    response = client.post(reverse("cohorts:regrade", args=[cohort.id, SLUG]), follow=True)
    assert text in response.content.decode()


def test_the_dashboard_costs_the_same_queries_for_one_exercise_or_many(
    client, instructor, learner, catalogue, sent_tasks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cohorts.services import cohort_create

    def queries(exercises) -> int:
        cohort = cohort_create(user=instructor, name="Q", starts_at=timezone.now(), exercises=exercises)
        cohort_join(user=learner, code=cohort.join_code)
        for exercise in exercises:
            graded_with_mistake(learner, exercise)
        client.force_login(instructor)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("cohorts:detail", args=[cohort.id])).status_code == 200
        return len(captured)

    assert queries([catalogue[SLUG]]) == queries([catalogue[SLUG], catalogue["timing-probe"]])
