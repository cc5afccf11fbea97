"""Ranking rule: score first, then (performance) the best time, then who got there first."""

import pytest

from leaderboards.selectors import leaderboard, rank_of
from submissions.services import submission_create
from tests.platform.conftest import graded

CODE = "def fast(x):\n    return x + 1.0\n"


def submit(user, exercise, score, time_value=None):
    return graded(submission_create(user=user, exercise=exercise, source=CODE), score=score, time_value=time_value)


def test_the_board_orders_by_score_then_time_then_first_reached(make_user, catalogue, sent_tasks):
    exercise = catalogue["timing-probe"]
    slow, fast, partial, early = (make_user(n) for n in ("slow", "fast", "partial", "early"))
    submit(early, exercise, 10, 0.002)
    submit(slow, exercise, 10, 0.005)
    submit(fast, exercise, 10, 0.001)
    submit(partial, exercise, 5)
    submit(early, exercise, 10, 0.002)  # the same result again does not move the first time reached

    names = [row.name for row in leaderboard(exercise=exercise)]

    assert names == [f"learner-{u.id}" for u in (fast, early, slow, partial)]
    assert rank_of(exercise=exercise, user=slow) == 3 and rank_of(exercise=exercise, user=partial) == 4


def test_a_worse_later_attempt_does_not_lower_the_best(learner, catalogue, sent_tasks):
    exercise = catalogue["sandbox-probe"]
    submit(learner, exercise, 10)
    submit(learner, exercise, 0)

    row = leaderboard(exercise=exercise)[0]
    assert row.score == 10 and row.attempts == 2


def test_public_boards_show_the_chosen_pseudonym(make_user, catalogue, sent_tasks):
    user = make_user("realname", display_name="Matrix Cat")
    submit(user, catalogue["sandbox-probe"], 10)
    assert leaderboard(exercise=catalogue["sandbox-probe"])[0].name == "Matrix Cat"


def test_cohort_boards_count_only_submissions_before_the_deadline(learner, cohort, catalogue, sent_tasks):
    from django.utils import timezone

    from cohorts.services import cohort_join, cohort_set_deadline

    cohort_join(user=learner, code=cohort.join_code)
    exercise = catalogue["sandbox-probe"]
    cohort_set_deadline(
        user=cohort.created_by,
        cohort=cohort,
        exercise=exercise,
        deadline=timezone.now() - timezone.timedelta(minutes=1),
    )

    late = submit(learner, exercise, 10)

    assert late.counts is False
    assert leaderboard(exercise=exercise, cohort=cohort) == []
    assert leaderboard(exercise=exercise)[0].score == 10


def test_rebuild_recomputes_rows_left_by_the_old_rules(learner, cohort, catalogue, sent_tasks):
    from django.core.management import call_command

    from cohorts.services import cohort_join
    from leaderboards.models import BestResult

    exercise = catalogue["sandbox-probe"]
    submit(learner, exercise, 10)
    cohort_join(user=learner, code=cohort.join_code)
    BestResult.objects.filter(cohort=cohort).delete()  # as the old code left a late joiner's work
    BestResult.objects.filter(cohort__isnull=True).update(score=3)  # and a stale global row

    call_command("bests", "rebuild")

    assert leaderboard(exercise=exercise, cohort=cohort)[0].score == 10
    assert leaderboard(exercise=exercise)[0].score == 10


@pytest.mark.django_db(transaction=True)
def test_two_workers_folding_one_learners_attempts_at_once_both_count(
    learner, cohort, catalogue, sent_tasks, monkeypatch
):
    import threading

    from django.db import connection, transaction
    from django.utils import timezone

    from cohorts.services import cohort_join
    from leaderboards import services
    from leaderboards.models import BestResult
    from submissions.models import Submission

    if connection.vendor != "postgresql":
        pytest.skip("this is about row locks between database sessions; SQLite runs one writer at a time")
    cohort_join(user=learner, code=cohort.join_code)
    exercise = catalogue["sandbox-probe"]
    submissions = [submission_create(user=learner, exercise=exercise, source=CODE) for _ in range(2)]
    barrier = threading.Barrier(2)
    errors = []
    # The bad interleaving, made certain: each worker reads the submissions before either writes a row.
    summary, seen = services._summary, threading.local()

    def summary_then_wait(candidates):
        values = summary(candidates)
        if not getattr(seen, "waited", False):
            seen.waited = True
            barrier.wait(timeout=10)
        return values

    monkeypatch.setattr(services, "_summary", summary_then_wait)

    def worker(submission, score):
        """What a grading worker's transaction does at the end: store the grade, fold it into the boards."""
        try:
            with transaction.atomic():
                Submission.objects.filter(pk=submission.pk).update(
                    status=Submission.GRADED, score=score, graded_at=timezone.now()
                )
                services.best_result_update(submission=Submission.objects.get(pk=submission.pk))
        except Exception as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=pair) for pair in zip(submissions, (4.0, 10.0), strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    for scope in (None, cohort.id):
        row = BestResult.objects.get(user=learner, exercise=exercise, cohort_id=scope)
        assert (row.score, row.attempts) == (10.0, 2)


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "America/St_Johns"])
def test_the_board_writes_when_a_result_was_reached_as_the_date_filter_did(zone):
    from datetime import UTC, datetime

    from django.template import Context, Template
    from django.utils import timezone

    fast = Template("{% load tensordojo %}{{ when|to_minute }}")
    django = Template('{{ when|date:"Y-m-d H:i" }}')
    with timezone.override(zone):
        for when in (datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC), None):
            assert fast.render(Context({"when": when})) == django.render(Context({"when": when}))


def test_each_learner_is_told_the_place_the_board_shows_them_even_in_an_exact_tie(make_user, catalogue, sent_tasks):
    """One ranking rule (leaderboards.ranking): rank_of counts the rows the board puts first, ties included."""
    from leaderboards.models import BestResult

    exercise = catalogue["timing-probe"]
    first, second = make_user("first"), make_user("second")
    submit(first, exercise, 10, 0.002)
    submit(second, exercise, 10, 0.002)
    reached = BestResult.objects.filter(user=first).values_list("reached_at", flat=True).get()
    BestResult.objects.update(reached_at=reached)  # the same score, time and moment

    shown = {row.name: row.rank for row in leaderboard(exercise=exercise)}
    told = {f"learner-{u.id}": rank_of(exercise=exercise, user=u) for u in (first, second)}
    assert told == shown == {f"learner-{first.id}": 1, f"learner-{second.id}": 2}


def test_entries_with_zero_points_are_not_ranked(make_user, catalogue, sent_tasks):
    """Issue 23 item 6: a board of 'learner-7, 0 points, #3' ranks nobody; zero is no result."""
    exercise = catalogue["sandbox-probe"]
    scorer, nothing = make_user("scorer"), make_user("nothing")
    submit(scorer, exercise, 4)
    submit(nothing, exercise, 0)

    assert [row.name for row in leaderboard(exercise=exercise)] == [f"learner-{scorer.id}"]
    assert rank_of(exercise=exercise, user=nothing) is None and rank_of(exercise=exercise, user=scorer) == 1


def test_the_first_board_a_learner_reaches_offers_a_pseudonym(client, learner, catalogue, sent_tasks):
    """Issue 23 item 6: asked, not named learner-4 silently; the choice is saved and the board shown again."""
    from django.urls import reverse

    exercise = catalogue["sandbox-probe"]
    submit(learner, exercise, 10)
    client.force_login(learner)
    board = reverse("leaderboards:exercise", args=[exercise.slug])
    page = client.get(board).content.decode()
    assert 'id="pseudonym-offer"' in page and f"learner-{learner.id}" in page

    response = client.post(reverse("leaderboards:pseudonym"), {"display_name": "Matrix Owl", "next": board})
    assert response.status_code == 302 and response["Location"] == board
    page = client.get(board).content.decode()
    assert "Matrix Owl" in page and 'id="pseudonym-offer"' not in page


def test_a_learner_may_keep_the_default_name_and_is_not_asked_again(client, learner, catalogue, sent_tasks):
    from django.urls import reverse

    exercise = catalogue["sandbox-probe"]
    client.force_login(learner)
    board = reverse("leaderboards:exercise", args=[exercise.slug])
    client.post(reverse("leaderboards:pseudonym"), {"keep": "1", "next": board})
    assert 'id="pseudonym-offer"' not in client.get(board).content.decode()


def test_a_refused_pseudonym_is_said_on_the_board(client, make_user, learner, catalogue, sent_tasks):
    from django.urls import reverse

    make_user("taken", display_name="Matrix Owl")
    exercise = catalogue["sandbox-probe"]
    client.force_login(learner)
    board = reverse("leaderboards:exercise", args=[exercise.slug])
    choice = {"display_name": "Matrix Owl", "next": board}
    response = client.post(reverse("leaderboards:pseudonym"), choice, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == board and 'id="pseudonym-offer"' in page and 'class="error"' in page
