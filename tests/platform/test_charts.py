"""Pictures drawn on the server (issue 23 item 14): accessible SVG, the numbers in a table beside,
drawn once for the same numbers."""

from __future__ import annotations

import re
from unittest import mock

from django.urls import reverse
from django.utils import timezone

from cohorts.services import cohort_join, cohort_set_deadline
from submissions.services import submission_create
from tests.platform.conftest import graded

CODE = "def fast(x):\n    return x + 1.0\n"


def svg_of(page: str, figure_id: str) -> str:
    start = page.index(f'id="{figure_id}"')
    return page[page.index("<svg", start) : page.index("</svg>", start) + 6]


def assert_accessible(svg: str) -> None:
    assert 'role="img"' in svg.split(">", 1)[0]
    labelled = re.search(r'aria-labelledby="([^" ]+) ([^"]+)"', svg)
    assert labelled and f'<title id="{labelled[1]}">' in svg and f'<desc id="{labelled[2]}">' in svg
    assert "<script" not in svg


def test_the_grade_book_draws_solves_per_day_and_score_spread_with_their_numbers(
    client, instructor, learner, make_user, cohort, catalogue, sent_tasks
):
    probe = catalogue["sandbox-probe"]
    cohort_join(user=learner, code=cohort.join_code)
    cohort_join(user=make_user("bob"), code=cohort.join_code)
    deadline = timezone.now() + timezone.timedelta(days=2)
    cohort_set_deadline(user=instructor, cohort=cohort, exercise=probe, deadline=deadline)
    graded(submission_create(user=learner, exercise=probe, source=CODE), score=10)
    client.force_login(instructor)
    page = client.get(reverse("cohorts:detail", args=[cohort.id])).content.decode()

    solves = svg_of(page, "solves-chart")
    assert_accessible(solves)
    assert "exercises solved per day" in solves and "Sandbox probe" in solves  # the deadline, labelled
    today, due = timezone.localdate().isoformat(), timezone.localdate(deadline).isoformat()
    assert f"<td>{today}</td><td>1</td>" in page  # every day from the first solve to the last deadline
    assert re.search(rf"<td>{due} <span class=\"tag\">deadline: Sandbox probe</span></td><td>0</td>", page)

    spread = svg_of(page, "spread-chart")
    assert_accessible(spread)
    assert "<td>Sandbox probe</td><td>1</td><td>0</td><td>0</td><td>1</td>" in page  # 1 full, 1 not graded


def test_a_chart_is_drawn_once_for_the_same_numbers(client, instructor, learner, cohort, catalogue, sent_tasks):
    import cohorts.charts

    cohort_join(user=learner, code=cohort.join_code)
    graded(submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE), score=10)
    client.force_login(instructor)
    with mock.patch.object(cohorts.charts, "to_svg", wraps=cohorts.charts.to_svg) as drawn:
        client.get(reverse("cohorts:detail", args=[cohort.id]))
        first = drawn.call_count
        client.get(reverse("cohorts:detail", args=[cohort.id]) + "?q=ad")  # another view, the same numbers
        assert first == 2 and drawn.call_count == first


def test_a_performance_board_shows_how_times_spread_with_the_learners_own_place(
    client, make_user, catalogue, sent_tasks
):
    exercise = catalogue["timing-probe"]
    me = make_user("me")
    for n, seconds in enumerate([0.001, 0.002, 0.004, 0.008]):
        graded(submission_create(user=make_user(f"r{n}"), exercise=exercise, source=CODE), score=10, time_value=seconds)
    graded(submission_create(user=me, exercise=exercise, source=CODE), score=10, time_value=0.003)
    client.force_login(me)
    page = client.get(reverse("leaderboards:exercise", args=[exercise.slug])).content.decode()
    svg = svg_of(page, "times-chart")
    assert_accessible(svg)
    assert ">you<" in svg and "2 of 5 are faster" in svg
    assert re.search(r'<tr class="me"><td>[^<]*<strong>\(you\)</strong></td><td>\d+</td></tr>', page)
