"""The one counting rule: the grid, the CSV, solve rates, the learner's view and cohort boards agree.

A submission counts for a cohort when its author is a learner of the cohort (whenever
they joined), the exercise is in the cohort, and it was made no later than the
exercise's deadline there (its own, else the cohort's end). Later practice never counts.
"""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.selectors import cohort_grid, counting_cohort_ids, exercise_stats, learner_standing
from cohorts.services import cohort_join, cohort_regrade, cohort_set_deadline
from leaderboards.selectors import leaderboard
from submissions.models import Submission
from submissions.services import submission_create
from tests.platform.conftest import graded

CODE = "def solve(x):\n    return x * 2\n"
SLUG = "sandbox-probe"


def submit_at(user, exercise, *, score, when):
    """A graded submission made at `when` (the clock cannot be turned back, so the row is dated)."""
    submission = submission_create(user=user, exercise=exercise, source=CODE)
    Submission.objects.filter(pk=submission.pk).update(created_at=when)
    return graded(submission, score=score)


def every_view(client, instructor, learner, cohort, exercise) -> dict:
    """What each place says about the learner's grade on the exercise."""
    links, rows = cohort_grid(cohort=cohort)
    column = [link.exercise_id for link in links].index(exercise.id)
    client.force_login(instructor)
    table = list(csv.reader(io.StringIO(client.get(reverse("cohorts:export", args=[cohort.id])).content.decode())))
    csv_row = next(row for row in table[1:] if row[0] == learner.username)
    stats = exercise_stats(cohort=cohort, exercise=exercise)
    standing = next(
        s
        for s in learner_standing(cohort=cohort, user=learner, now=timezone.now())
        if s.link.exercise_id == exercise.id
    )
    board = leaderboard(exercise=exercise, cohort=cohort)
    return {
        "grid": rows[0].cells[column].score,
        "csv": float(csv_row[table[0].index(exercise.title)]) if csv_row[table[0].index(exercise.title)] else None,
        "solved_in_stats": stats["solved"],
        "learner_view": standing.grade.score,
        "learner_solved": standing.solved,
        "board": board[0].score if board else None,
    }


@pytest.fixture
def exercise(catalogue):
    return catalogue[SLUG]


def test_a_solve_made_before_joining_counts_at_once(client, instructor, learner, cohort, exercise, sent_tasks):
    submit_at(learner, exercise, score=10, when=timezone.now() - timezone.timedelta(hours=2))

    cohort_join(user=learner, code=cohort.join_code)

    assert every_view(client, instructor, learner, cohort, exercise) == {
        "grid": 10,
        "csv": 10,
        "solved_in_stats": 1,
        "learner_view": 10,
        "learner_solved": True,
        "board": 10,
    }


def test_late_join_practice_after_the_deadline_and_a_regrade_all_agree(
    client, instructor, learner, cohort, exercise, sent_tasks
):
    now = timezone.now()
    before = submit_at(learner, exercise, score=5, when=now - timezone.timedelta(hours=2))
    cohort_join(user=learner, code=cohort.join_code)  # joins after submitting
    cohort_set_deadline(user=instructor, cohort=cohort, exercise=exercise, deadline=now - timezone.timedelta(hours=1))
    practice = submit_at(learner, exercise, score=10, when=now)  # after the deadline: practice

    expected = {
        "grid": 5,
        "csv": 5,
        "solved_in_stats": 0,
        "learner_view": 5,
        "learner_solved": False,
        "board": 5,
    }
    assert every_view(client, instructor, learner, cohort, exercise) == expected

    assert cohort_regrade(user=instructor, cohort=cohort, exercise=exercise) == 1  # only what counts here
    assert Submission.objects.get(pk=practice.pk).status == Submission.GRADED
    graded(Submission.objects.get(pk=before.pk), score=5)

    assert every_view(client, instructor, learner, cohort, exercise) == expected
    assert leaderboard(exercise=exercise)[0].score == 10  # the global board counts practice
    client.force_login(learner)
    page = client.get(reverse("cohorts:detail", args=[cohort.id])).content.decode()
    assert "5.0 / 10" in page and "closed" in page


def test_a_regrade_that_lowers_the_best_attempt_lowers_the_grade(
    client, instructor, learner, cohort, exercise, sent_tasks
):
    cohort_join(user=learner, code=cohort.join_code)
    first = submit_at(learner, exercise, score=10, when=timezone.now() - timezone.timedelta(minutes=5))
    second = submit_at(learner, exercise, score=4, when=timezone.now())

    cohort_regrade(user=instructor, cohort=cohort, exercise=exercise)
    graded(Submission.objects.get(pk=first.pk), score=2)  # the reference was fixed: it was wrong after all
    graded(Submission.objects.get(pk=second.pk), score=4)

    assert every_view(client, instructor, learner, cohort, exercise)["grid"] == 4
    assert leaderboard(exercise=exercise, cohort=cohort)[0].score == 4


def test_moving_the_deadline_earlier_removes_later_attempts_from_the_board(
    instructor, learner, cohort, exercise, sent_tasks
):
    cohort_join(user=learner, code=cohort.join_code)
    submit_at(learner, exercise, score=10, when=timezone.now())
    assert leaderboard(exercise=exercise, cohort=cohort)[0].score == 10

    cohort_set_deadline(
        user=instructor, cohort=cohort, exercise=exercise, deadline=timezone.now() - timezone.timedelta(hours=1)
    )

    assert leaderboard(exercise=exercise, cohort=cohort) == []


def test_the_cohort_end_date_is_the_deadline_of_exercises_without_their_own(learner, cohort, exercise, sent_tasks):
    cohort_join(user=learner, code=cohort.join_code)
    cohort.ends_at = timezone.now() - timezone.timedelta(minutes=1)
    cohort.save()

    late = submit_at(learner, exercise, score=10, when=timezone.now())

    assert counting_cohort_ids(submission=late) == []
    assert late.counts is False


def test_a_submission_counts_for_every_cohort_of_the_learner_that_is_still_open(
    make_user, learner, cohort, exercise, sent_tasks
):
    from cohorts.services import cohort_create

    other = cohort_create(user=make_user("second", instructor=True), name="Autumn", starts_at=timezone.now())
    cohort_join(user=learner, code=cohort.join_code)
    cohort_join(user=learner, code=other.join_code)
    cohort_set_deadline(
        user=other.created_by, cohort=other, exercise=exercise, deadline=timezone.now() - timezone.timedelta(hours=1)
    )

    submission = submit_at(learner, exercise, score=10, when=timezone.now())

    assert counting_cohort_ids(submission=submission) == [cohort.id]
    assert submission.counts is True


def test_joining_marks_earlier_work_after_the_deadline_as_practice(instructor, learner, cohort, exercise, sent_tasks):
    now = timezone.now()
    cohort_set_deadline(user=instructor, cohort=cohort, exercise=exercise, deadline=now - timezone.timedelta(hours=3))
    early = submit_at(learner, exercise, score=10, when=now - timezone.timedelta(hours=4))
    late = submit_at(learner, exercise, score=10, when=now - timezone.timedelta(hours=2))
    assert late.counts is True  # in no cohort yet: nothing to practise for

    cohort_join(user=learner, code=cohort.join_code)

    early.refresh_from_db()
    late.refresh_from_db()
    assert (early.counts, late.counts) == (True, False)


def test_moving_a_deadline_later_makes_practice_count_again(instructor, learner, cohort, exercise, sent_tasks):
    cohort_join(user=learner, code=cohort.join_code)
    now = timezone.now()
    cohort_set_deadline(user=instructor, cohort=cohort, exercise=exercise, deadline=now - timezone.timedelta(hours=1))
    late = submit_at(learner, exercise, score=10, when=now)
    late.refresh_from_db()
    assert late.counts is False and leaderboard(exercise=exercise, cohort=cohort) == []

    cohort_set_deadline(user=instructor, cohort=cohort, exercise=exercise, deadline=now + timezone.timedelta(days=1))

    late.refresh_from_db()
    assert late.counts is True and leaderboard(exercise=exercise, cohort=cohort)[0].score == 10


def test_a_learner_removed_from_the_cohort_leaves_its_board(instructor, learner, cohort, exercise, sent_tasks):
    from cohorts.models import Membership
    from cohorts.services import cohort_recount

    cohort_join(user=learner, code=cohort.join_code)
    submit_at(learner, exercise, score=10, when=timezone.now())
    Membership.objects.filter(cohort=cohort, user=learner).delete()  # what the admin's inline does

    cohort_recount(cohort=cohort, user_ids=[learner.id])

    assert leaderboard(exercise=exercise, cohort=cohort) == []


def _admin_form(cohort, *, delete_user=None) -> dict:
    """The admin change form of a cohort as the browser posts it, optionally deleting one membership."""
    data = {
        "name": cohort.name,
        "join_code": cohort.join_code,
        "starts_at_0": cohort.starts_at.strftime("%Y-%m-%d"),
        "starts_at_1": cohort.starts_at.strftime("%H:%M:%S"),
        "ends_at_0": "",
        "ends_at_1": "",
        "created_by": cohort.created_by_id,
    }
    for prefix, rows in (
        ("memberships", list(cohort.memberships.all())),
        ("cohort_exercises", list(cohort.cohort_exercises.all())),
    ):
        data |= {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": len(rows)}
        data |= {f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000}
        for n, row in enumerate(rows):
            data |= {f"{prefix}-{n}-id": row.id, f"{prefix}-{n}-cohort": cohort.id}
            if prefix == "memberships":
                data |= {f"{prefix}-{n}-user": row.user_id, f"{prefix}-{n}-role": row.role}
                if row.user_id == delete_user:
                    data[f"{prefix}-{n}-DELETE"] = "on"
            else:
                data |= {
                    f"{prefix}-{n}-exercise": row.exercise_id,
                    f"{prefix}-{n}-deadline_0": "",
                    f"{prefix}-{n}-deadline_1": "",
                }
    return data


def test_removing_a_learner_in_the_admin_takes_them_off_the_board(admin_client, learner, cohort, exercise, sent_tasks):
    cohort_join(user=learner, code=cohort.join_code)
    submit_at(learner, exercise, score=10, when=timezone.now())
    assert leaderboard(exercise=exercise, cohort=cohort)

    response = admin_client.post(
        reverse("admin:cohorts_cohort_change", args=[cohort.id]), _admin_form(cohort, delete_user=learner.id)
    )

    assert response.status_code == 302, response.content.decode()[-2000:]
    assert not cohort.memberships.filter(user=learner).exists()
    assert leaderboard(exercise=exercise, cohort=cohort) == []


def test_the_grid_marks_a_cell_full_exactly_when_the_solve_rate_counts_it(
    instructor, learner, cohort, exercise, sent_tasks
):
    cohort_join(user=learner, code=cohort.join_code)
    submit_at(learner, exercise, score=exercise.points - 1e-12, when=timezone.now())  # float noise in a sum

    links, rows = cohort_grid(cohort=cohort)
    cell = rows[0].cells[[link.exercise_id for link in links].index(exercise.id)]

    assert cell.solved is True and exercise_stats(cohort=cohort, exercise=exercise)["solved"] == 1
