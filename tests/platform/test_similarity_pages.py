"""The similarity report pages: who may see them, what they list, and how they show code."""

import pytest
from django.urls import reverse

from cohorts.services import cohort_join
from submissions.services import submission_create
from tests.platform.conftest import graded

ORIGINAL = """def solve(x):
    total = 0.0
    for index, value in enumerate(x):
        total = total + value * (index + 1)
    weights = [value / (total + 1e-9) for value in x]
    return sorted(weights, reverse=True)[:3]
"""
# A copy with new names, new layout and a comment that tries to break the page.
DISGUISED = """def solve(x):
    # </pre><script>alert("x")</script>
    acc=0.0
    for i,v in enumerate(x):
        acc=acc+v*(i+1)
    w=[v/(acc+1e-9) for v in x]
    return sorted(w,reverse=True)[:3]
"""
INDEPENDENT = """def solve(x):
    import math
    return [math.sqrt(abs(item)) for item in x if item]
"""


@pytest.fixture
def classroom(make_user, cohort, catalogue, sent_tasks):
    """Three learners of the cohort: two alike solutions and one independent one."""
    exercise = catalogue["sandbox-probe"]
    people = {}
    for name, source in (("ann", ORIGINAL), ("bob", DISGUISED), ("cy", INDEPENDENT)):
        user = make_user(name)
        cohort_join(user=user, code=cohort.join_code)
        graded(submission_create(user=user, exercise=exercise, source=source, cohort=cohort), score=10)
        people[name] = user
    return cohort, exercise, people


def report_url(cohort, exercise):
    return reverse("similarity:exercise", args=[cohort.id, exercise.slug])


def test_the_instructor_sees_the_alike_pair_and_not_the_independent_learner(client, instructor, classroom):
    cohort, exercise, _ = classroom
    client.force_login(instructor)

    page = client.get(report_url(cohort, exercise)).content.decode()

    assert "3 accepted solutions compared" in page
    pairs = page[page.index('data-testid="similarity-pairs"') :]
    assert "ann" in pairs and "bob" in pairs and "cy" not in pairs


def test_every_page_says_it_is_a_lead_not_a_verdict(client, instructor, classroom):
    cohort, exercise, people = classroom
    client.force_login(instructor)
    urls = [
        reverse("similarity:cohort", args=[cohort.id]),
        report_url(cohort, exercise),
        reverse("similarity:pair", args=[cohort.id, exercise.slug, people["ann"].id, people["bob"].id]),
    ]
    for url in urls:
        assert "A lead for a conversation, never a verdict." in client.get(url).content.decode(), url


def test_the_pair_page_shows_both_codes_escaped_with_shared_parts_marked(client, instructor, classroom):
    cohort, exercise, people = classroom
    client.force_login(instructor)

    response = client.get(
        reverse("similarity:pair", args=[cohort.id, exercise.slug, people["bob"].id, people["ann"].id])
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in page
    assert "&lt;/pre&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<mark>" in page and "enumerate" in page[page.index("<mark>") :]


def test_a_learner_of_the_cohort_is_refused(client, classroom):
    cohort, exercise, people = classroom
    client.force_login(people["ann"])
    assert client.get(report_url(cohort, exercise)).status_code == 403
    assert client.get(reverse("similarity:cohort", args=[cohort.id])).status_code == 403


def test_an_instructor_of_another_cohort_is_refused(client, make_user, classroom):
    cohort, exercise, _ = classroom
    client.force_login(make_user("other-teacher", instructor=True))
    assert client.get(report_url(cohort, exercise)).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, classroom):
    cohort, exercise, _ = classroom
    response = client.get(report_url(cohort, exercise))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_solution_that_was_not_accepted_is_not_compared(client, instructor, make_user, classroom):
    cohort, exercise, _ = classroom
    dan = make_user("dan")
    cohort_join(user=dan, code=cohort.join_code)
    graded(
        submission_create(user=dan, exercise=exercise, source=ORIGINAL, cohort=cohort),
        score=0,
        verdict="wrong_answer",
    )
    client.force_login(instructor)

    page = client.get(report_url(cohort, exercise)).content.decode()

    assert "3 accepted solutions compared" in page and "dan" not in page


def test_a_pair_not_in_the_report_is_not_found(client, instructor, classroom):
    cohort, exercise, people = classroom
    client.force_login(instructor)
    url = reverse("similarity:pair", args=[cohort.id, exercise.slug, people["ann"].id, people["cy"].id])
    assert client.get(url).status_code == 404


def test_an_exercise_outside_the_cohort_is_not_found(client, instructor, classroom, catalogue):
    from cohorts.models import CohortExercise

    cohort, _, _ = classroom
    CohortExercise.objects.filter(cohort=cohort, exercise=catalogue["timing-probe"]).delete()
    client.force_login(instructor)
    assert client.get(report_url(cohort, catalogue["timing-probe"])).status_code == 404


def test_the_cohort_page_links_instructors_to_the_report(client, instructor, classroom):
    cohort, _, _ = classroom
    client.force_login(instructor)
    page = client.get(reverse("cohorts:detail", args=[cohort.id])).content.decode()
    assert reverse("similarity:cohort", args=[cohort.id]) in page


def test_practice_after_the_deadline_is_not_compared(client, instructor, make_user, classroom):
    from django.utils import timezone

    from cohorts.services import cohort_set_deadline

    cohort, exercise, _ = classroom
    cohort_set_deadline(user=instructor, cohort=cohort, exercise=exercise, deadline=timezone.now())  # closes now
    late = make_user("late")
    cohort_join(user=late, code=cohort.join_code)
    graded(submission_create(user=late, exercise=exercise, source=ORIGINAL, cohort=cohort), score=10)
    client.force_login(instructor)

    page = client.get(report_url(cohort, exercise)).content.decode()

    assert "late" not in page[page.index('data-testid="similarity-pairs"') :]


def test_a_learners_last_accepted_solution_is_the_one_compared(client, instructor, classroom):
    cohort, exercise, people = classroom
    # cy resubmits: now a copy of ann's code, accepted again.
    graded(submission_create(user=people["cy"], exercise=exercise, source=DISGUISED, cohort=cohort), score=10)
    client.force_login(instructor)

    page = client.get(report_url(cohort, exercise)).content.decode()

    assert "3 accepted solutions compared" in page
    assert "cy" in page[page.index('data-testid="similarity-pairs"') :]
