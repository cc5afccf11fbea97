"""The grade book while a re-grade runs (issue 23 item 10): the last complete numbers, and how far it is."""

from __future__ import annotations

from django.urls import reverse

from cohorts.selectors.grade_book import cohort_grade_book, regrade_progress
from cohorts.services import cohort_join, cohort_regrade
from submissions.models import Submission
from submissions.services import submission_start
from tests.platform.test_grade_book import SLUG, WORDS, detail, graded_with_mistake


def book_numbers(cohort, learner, exercise):
    book = cohort_grade_book(cohort=cohort)
    grade = book.grades[learner.id, exercise.id]
    mistakes = [(d.words, d.learners, d.submissions) for d in book.mistakes.get(exercise.id, [])]
    return grade.score, grade.attempts, grade.last_activity, book.verdicts.get(exercise.id), mistakes


def test_a_running_regrade_leaves_the_last_complete_numbers(instructor, learner, cohort, catalogue, sent_tasks):
    exercise = catalogue[SLUG]
    cohort_join(user=learner, code=cohort.join_code)
    for _ in range(3):
        graded_with_mistake(learner, exercise)
    before = book_numbers(cohort, learner, exercise)
    assert before[1] == 3 and before[4] == [(WORDS, 1, 3)]

    cohort_regrade(user=instructor, cohort=cohort, exercise=exercise)
    first = Submission.objects.filter(exercise=exercise).order_by("created_at").first()
    submission_start(submission_id=first.id, worker="test")  # one is running, two are waiting

    assert book_numbers(cohort, learner, exercise) == before
    progress = regrade_progress(cohort=cohort)
    assert (progress.done, progress.total) == (0, 3) and [e.slug for e in progress.exercises] == [SLUG]


def test_the_grade_book_page_says_a_regrade_is_running(client, instructor, learner, cohort, catalogue, sent_tasks):
    exercise = catalogue[SLUG]
    cohort_join(user=learner, code=cohort.join_code)
    graded_with_mistake(learner, exercise)
    graded_with_mistake(learner, exercise)
    assert 'id="regrade-progress"' not in detail(client, instructor, cohort)
    cohort_regrade(user=instructor, cohort=cohort, exercise=exercise)
    page = detail(client, instructor, cohort)
    assert 'id="regrade-progress"' in page and "0 of 2" in page and "×2" in page
    assert reverse("cohorts:detail", args=[cohort.id]) in page  # a way to look again
