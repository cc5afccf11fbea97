"""The instructor's dashboard is cached, and never stale.

Its grade book is kept under the cohort's learners, exercise links and grades version
(cohorts.grades_version), its rendering under a digest of everything it shows
(cohorts.selectors.CohortDashboard). Each test fills the cache with one view of the page,
changes one thing the page shows, and looks again.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.services import profile_update
from cohorts.models import GradesVersion
from cohorts.selectors import Cell
from cohorts.services import cohort_create, cohort_join, cohort_regrade, cohort_set_deadline
from submissions.models import Submission
from submissions.services import submission_create
from tests.platform.conftest import graded

CODE = "def solve(x):\n    return x * 2\n"
SLUG = "sandbox-probe"


def submit(user, exercise, *, score, when=None):
    submission = submission_create(user=user, exercise=exercise, source=CODE)
    if when is not None:
        Submission.objects.filter(pk=submission.pk).update(created_at=when)
    return graded(submission, score=score, verdict="accepted" if score == 10 else "wrong_answer")


def grid_row(client, cohort, username, **filters) -> str:
    """The learner's row of the progress grid as the instructor sees it ('' when not shown)."""
    page = client.get(reverse("cohorts:detail", args=[cohort.id]), filters).content.decode()
    match = re.search(rf'<tr><th scope="row"><a href="[^"]*">{username}</a>.*?</tr>', page, re.S)
    return match.group(0) if match else ""


@pytest.fixture
def exercise(catalogue):
    return catalogue[SLUG]


@pytest.fixture
def watching(client, instructor):
    client.force_login(instructor)
    return client


def test_a_grading_shows_at_once(watching, learner, cohort, exercise, sent_tasks):
    cohort_join(user=learner, code=cohort.join_code)
    submit(learner, exercise, score=2.5)
    assert "2.5<small> ×1</small>" in grid_row(watching, cohort, "ada")

    submit(learner, exercise, score=10)

    assert '<td class="full" title="2 counting attempts">10.0<small> ×2</small>' in grid_row(watching, cohort, "ada")


def test_a_filtered_grid_follows_the_grades_too(watching, learner, make_user, cohort, exercise, sent_tasks):
    cohort_join(user=learner, code=cohort.join_code)
    cohort_join(user=make_user("bob"), code=cohort.join_code)
    submit(learner, exercise, score=2.5)
    assert "2.5<small>" in grid_row(watching, cohort, "ada", q="ad", exercise=SLUG)
    assert grid_row(watching, cohort, "bob", q="ad") == ""
    page = watching.get(reverse("cohorts:detail", args=[cohort.id]), {"q": "ad"}).content.decode()
    assert "· 2 learners</p>" in page  # the cohort's learners, not the ones the filter shows

    submit(learner, exercise, score=5)

    assert "5.0<small> ×2</small>" in grid_row(watching, cohort, "ada", q="ad", exercise=SLUG)


def test_a_regrade_keeps_the_last_grade_until_it_is_graded_again(
    watching, instructor, learner, cohort, exercise, sent_tasks
):
    """Issue 23 item 10: while it waits to be graded again, the grid shows its last complete grading."""
    cohort_join(user=learner, code=cohort.join_code)
    submission = submit(learner, exercise, score=10)
    assert "10.0<small> ×1</small>" in grid_row(watching, cohort, "ada")

    cohort_regrade(user=instructor, cohort=cohort, exercise=exercise)
    assert "10.0<small> ×1</small>" in grid_row(watching, cohort, "ada")

    graded(submission, score=7.5)
    assert "7.5<small> ×1</small>" in grid_row(watching, cohort, "ada")


def test_a_join_shows_the_work_made_before_it(watching, learner, cohort, exercise, sent_tasks):
    submit(learner, exercise, score=10)
    assert grid_row(watching, cohort, "ada") == ""

    cohort_join(user=learner, code=cohort.join_code)

    assert "10.0<small> ×1</small>" in grid_row(watching, cohort, "ada")


def test_a_deadline_moved_before_an_attempt_makes_it_practice(
    watching, instructor, learner, cohort, exercise, sent_tasks
):
    cohort_join(user=learner, code=cohort.join_code)
    submit(learner, exercise, score=10, when=timezone.now() - timezone.timedelta(hours=1))
    assert "10.0" in grid_row(watching, cohort, "ada")

    cohort_set_deadline(
        user=instructor, cohort=cohort, exercise=exercise, deadline=timezone.now() - timezone.timedelta(hours=2)
    )

    assert "10.0" not in grid_row(watching, cohort, "ada")


def test_a_new_display_name_and_a_hint_opened_show_at_once(watching, learner, cohort, exercise, sent_tasks):
    from catalog.models import HintUnlock

    cohort_join(user=learner, code=cohort.join_code)
    submit(learner, exercise, score=0)
    assert "hints-used" not in grid_row(watching, cohort, "ada")

    profile_update(user=learner, display_name="Countess")
    HintUnlock.objects.create(user=learner, exercise=exercise, index=0)

    row = grid_row(watching, cohort, "ada")
    assert "(Countess)" in row and "1 hint</span>" in row


def test_a_deleted_submission_leaves_the_grade_book(watching, learner, cohort, exercise, sent_tasks):
    cohort_join(user=learner, code=cohort.join_code)
    submission = submit(learner, exercise, score=10)
    assert "10.0" in grid_row(watching, cohort, "ada")

    Submission.objects.get(pk=submission.pk).delete()

    assert "10.0" not in grid_row(watching, cohort, "ada")


def test_the_statistics_follow_the_grades(watching, learner, cohort, exercise, sent_tasks):
    cohort_join(user=learner, code=cohort.join_code)
    submit(learner, exercise, score=0)
    assert "0 of 1 learner (0%)" in watching.get(reverse("cohorts:detail", args=[cohort.id])).content.decode()

    submit(learner, exercise, score=10)

    assert "1 of 1 learner (100%)" in watching.get(reverse("cohorts:detail", args=[cohort.id])).content.decode()


def test_a_grading_changes_the_version_of_the_learners_cohorts_only(
    instructor, learner, make_user, cohort, exercise, sent_tasks
):
    other = cohort_create(user=instructor, name="Autumn", starts_at=timezone.now() - timezone.timedelta(days=1))
    cohort_join(user=learner, code=cohort.join_code)
    cohort_join(user=make_user("bob"), code=other.join_code)
    submit(learner, exercise, score=5)
    before = dict(GradesVersion.objects.values_list("cohort_id", "token"))

    submit(learner, exercise, score=10)

    after = dict(GradesVersion.objects.values_list("cohort_id", "token"))
    assert after[cohort.id] != before[cohort.id]
    assert other.id not in after


def test_a_cohort_that_keeps_changing_keeps_one_rendering_in_the_cache(watching, learner, cohort, exercise, sent_tasks):
    from django.core.cache import cache

    cohort_join(user=learner, code=cohort.join_code)
    for score in (2.5, 5, 7.5):
        submit(learner, exercise, score=score)
        assert f"{score:.1f}<small>" in grid_row(watching, cohort, "ada")

    kept = [key for key in cache._cache if "cohorts:dashboard:" in key]  # LocMemCache, as the tests configure
    assert len(kept) == 1


def submission_queries(client, cohort) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("cohorts:detail", args=[cohort.id])).status_code == 200
    return [q["sql"] for q in queries.captured_queries if "submissions_submission" in q["sql"]]


def test_an_unchanged_cohort_is_shown_without_reading_a_submission(watching, learner, cohort, exercise, sent_tasks):
    cohort_join(user=learner, code=cohort.join_code)
    submit(learner, exercise, score=5)
    assert submission_queries(watching, cohort)  # the first view computes the grade book

    assert submission_queries(watching, cohort) == []

    submit(learner, exercise, score=10)
    assert submission_queries(watching, cohort)


def dashboard_queries(client, cohort) -> tuple[int, int]:
    """Queries for the page with an empty cache, then with the cache filled."""
    from django.core.cache import cache

    cache.clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("cohorts:detail", args=[cohort.id])).status_code == 200
        counts.append(len(queries))
    return counts[0], counts[1]


def test_the_number_of_queries_does_not_grow_with_the_learners(
    watching, make_user, cohort, exercise, catalogue, sent_tasks
):
    def add_learners(n):
        for _ in range(n):
            user = make_user()
            cohort_join(user=user, code=cohort.join_code)
            submit(user, exercise, score=5)
            submit(user, catalogue["timing-probe"], score=10)

    add_learners(2)
    few = dashboard_queries(watching, cohort)
    add_learners(10)

    assert dashboard_queries(watching, cohort) == few
    assert few[1] < few[0]  # a filled cache skips the grade book's queries


# The per-cell template the grid used before cohort_grid's grid_cells tag (as it stood at 567a837).
OLD_CELL = Template(
    "{% for cell in cells %}"
    '<td class="{% if cell.score is None %}none{% elif cell.solved %}full{% else %}part{% endif %}"'
    ' title="{{ cell.attempts }} counting attempt{{ cell.attempts|pluralize }}">{% if cell.score is None %}·{% else %}'
    "{{ cell.score|floatformat:1 }}{% endif %}<small>{% if cell.attempts %} ×{{ cell.attempts }}{% endif %}</small>"
    '{% if cell.hints %}<span class="hints-used" title="hints opened">{{ cell.hints }} hint{{ cell.hints|pluralize }}'
    "</span>{% endif %}</td>{% endfor %}"
)


def test_the_grid_cells_read_as_the_template_wrote_them():
    cells = [
        Cell(score, 10.0, attempts, None, hints, solved)
        for score, solved in ((None, False), (0.0, False), (2.5, False), (7.25, False), (9.95, False), (10.0, True))
        for attempts in (0, 1, 3)
        for hints in (0, 1, 2)
    ]
    new = Template("{% load cohort_grid %}{% grid_cells cells %}")

    assert new.render(Context({"cells": cells})) == OLD_CELL.render(Context({"cells": cells}))
