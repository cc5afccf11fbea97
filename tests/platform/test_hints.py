"""Hints, explanations and the lesson: what opens when, what is recorded, and how pages link."""

from __future__ import annotations

import shutil

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import HintUnlock
from catalog.selectors import hint_use_for
from catalog.services import HintRefused, exercises_sync, hint_unlock
from leaderboards.models import BestResult
from submissions.services import submission_create
from tests.conftest import FIXTURE_EXERCISES
from tests.platform.conftest import graded

HINTS = "# Hints\n\n## Start small\n\nDouble one number first.\n\n## The operator\n\nMultiply by \\(2\\).\n"
EXPLANATION = "The idea: every element doubles.\n\nA common mistake is adding one instead.\n"
LESSON = "# Doubling things\n\nScaling a vector multiplies each entry.\n"


@pytest.fixture
def taught(settings, tmp_path, db):
    """The fixture exercises with hints, an explanation, a lesson section, a prerequisite and a time."""
    root = tmp_path / "exercises"
    for name in ("sandbox-probe", "timing-probe"):
        shutil.copytree(FIXTURE_EXERCISES / name, root / name)
    probe = root / "sandbox-probe"
    (probe / "hints.md").write_text(HINTS)
    (probe / "explanation.md").write_text(EXPLANATION)
    toml = (probe / "exercise.toml").read_text()
    (probe / "exercise.toml").write_text('lesson = "doubling"\nprerequisites = ["timing-probe"]\nminutes = 7\n' + toml)
    (root / "lesson").mkdir()
    (root / "lesson" / "01-doubling.md").write_text(LESSON)
    settings.EXERCISES_DIR = root
    exercises_sync(root=root, publish_unproven=True)
    from catalog.models import Exercise

    return Exercise.objects.get(slug="sandbox-probe")


def attempt(user, exercise, verdict, score):
    return graded(
        submission_create(user=user, exercise=exercise, source="def solve(x): return x"), score=score, verdict=verdict
    )


def test_no_hint_opens_before_a_failed_attempt(learner, taught, sent_tasks):
    with pytest.raises(HintRefused, match="after your first graded attempt"):
        hint_unlock(user=learner, exercise=taught)
    assert not HintUnlock.objects.exists()


def test_hints_open_one_at_a_time_after_a_failed_attempt(client, learner, taught, sent_tasks):
    attempt(learner, taught, "wrong_answer", 0.0)
    client.force_login(learner)
    page = client.get(reverse("catalog:exercise_detail", args=[taught.slug])).content.decode()
    assert "Show hint 1 of 2" in page and "Double one number first" not in page

    response = client.post(reverse("catalog:hint_next", args=[taught.slug]))
    assert response["Location"].endswith("#hint-1")
    page = client.get(reverse("catalog:exercise_detail", args=[taught.slug])).content.decode()
    assert "Double one number first" in page and "Multiply by" not in page and "Show hint 2 of 2" in page


def test_each_opened_hint_is_recorded(learner, taught, sent_tasks):
    attempt(learner, taught, "wrong_answer", 0.0)
    hint_unlock(user=learner, exercise=taught)
    hint_unlock(user=learner, exercise=taught)
    assert list(HintUnlock.objects.values_list("index", flat=True)) == [0, 1]
    with pytest.raises(HintRefused, match="every hint"):
        hint_unlock(user=learner, exercise=taught)


def test_opening_a_hint_never_changes_the_score(learner, taught, sent_tasks):
    attempt(learner, taught, "wrong_answer", 4.0)
    before = list(BestResult.objects.values_list("score", flat=True))
    hint_unlock(user=learner, exercise=taught)
    attempt(learner, taught, "accepted", 10.0)
    assert before == [4.0]
    assert list(BestResult.objects.filter(cohort__isnull=True).values_list("score", flat=True)) == [10.0]


def test_instructors_get_hint_use_per_learner_and_exercise(learner, make_user, taught, sent_tasks):
    other = make_user("bob")
    attempt(learner, taught, "wrong_answer", 0.0)
    hint_unlock(user=learner, exercise=taught)
    hint_unlock(user=learner, exercise=taught)
    assert hint_use_for(user_ids=[learner.id, other.id], exercise_ids=[taught.id]) == {(learner.id, taught.id): 2}


def test_the_explanation_is_closed_until_the_exercise_is_solved(client, learner, taught, sent_tasks):
    attempt(learner, taught, "wrong_answer", 0.0)
    client.force_login(learner)
    response = client.get(reverse("catalog:explanation", args=[taught.slug]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "catalog:exercise_detail", args=[taught.slug]
    )


def test_the_explanation_opens_when_accepted_with_the_reference_beside_the_learners_code(
    client, learner, taught, sent_tasks
):
    submission = submission_create(user=learner, exercise=taught, source="def solve(x):\n    return x + x  # mine\n")
    graded(submission, score=10.0, verdict="accepted")
    client.force_login(learner)
    page = client.get(reverse("catalog:explanation", args=[taught.slug])).content.decode()
    assert "every element doubles" in page
    assert 'id="learner-code"' in page and "# mine" in page
    assert 'id="reference-code"' in page and "return x * 2" in page


def _member_since(cohort, learner, days_ago: float):
    from cohorts.models import Membership

    Membership.objects.create(cohort=cohort, user=learner, role=Membership.LEARNER)
    Membership.objects.filter(cohort=cohort, user=learner).update(
        joined_at=timezone.now() - timezone.timedelta(days=days_ago)
    )


def _deadline(cohort, exercise, hours_from_now: float):
    from cohorts.models import CohortExercise

    CohortExercise.objects.update_or_create(
        cohort=cohort,
        exercise=exercise,
        defaults={"deadline": timezone.now() + timezone.timedelta(hours=hours_from_now)},
    )


def test_the_explanation_opens_after_the_cohort_deadline(client, learner, cohort, taught, sent_tasks):
    _member_since(cohort, learner, days_ago=30)
    _deadline(cohort, taught, hours_from_now=-1)
    client.force_login(learner)
    response = client.get(reverse("catalog:explanation", args=[taught.slug]))
    assert response.status_code == 200 and "deadline of Spring has passed" in response.content.decode()


def test_joining_an_old_cohort_whose_deadline_passed_opens_nothing(client, learner, cohort, taught, sent_tasks):
    """Last term's join code, known to everyone: the reference must not come with it."""
    _member_since(cohort, learner, days_ago=0)
    _deadline(cohort, taught, hours_from_now=-24 * 90)
    client.force_login(learner)
    response = client.get(reverse("catalog:explanation", args=[taught.slug]))
    assert "reference-code" not in response.content.decode()


def test_a_deadline_still_open_in_another_cohort_keeps_the_explanation_closed(
    client, learner, instructor, cohort, taught, sent_tasks
):
    from cohorts.services import cohort_create

    _member_since(cohort, learner, days_ago=30)
    _deadline(cohort, taught, hours_from_now=-1)
    later = cohort_create(user=instructor, name="Autumn", starts_at=timezone.now() - timezone.timedelta(days=1))
    _member_since(later, learner, days_ago=30)
    _deadline(later, taught, hours_from_now=24)
    client.force_login(learner)
    response = client.get(reverse("catalog:explanation", args=[taught.slug]))
    assert "reference-code" not in response.content.decode()


def test_a_passed_deadline_is_shown_before_submitting(client, learner, cohort, taught):
    from cohorts.models import CohortExercise, Membership

    Membership.objects.create(cohort=cohort, user=learner, role=Membership.LEARNER)
    CohortExercise.objects.update_or_create(
        cohort=cohort, exercise=taught, defaults={"deadline": timezone.now() - timezone.timedelta(days=1)}
    )
    client.force_login(learner)
    page = client.get(reverse("catalog:exercise_detail", args=[taught.slug])).content.decode()
    assert "The deadline of Spring passed" in page and "does not count" in page


def test_the_statement_links_to_the_lesson_section_it_practises(client, taught):
    page = client.get(reverse("catalog:exercise_detail", args=[taught.slug])).content.decode()
    assert f'href="{reverse("catalog:lesson_section", args=["doubling"])}"' in page and "Doubling things" in page


def test_each_lesson_section_is_anchored_and_links_to_its_exercises(client, taught):
    page = client.get(reverse("catalog:lesson")).content.decode()
    assert 'id="doubling"' in page and "Scaling a vector multiplies each entry" in page
    assert f'href="{reverse("catalog:exercise_detail", args=[taught.slug])}"' in page


def test_each_lesson_section_has_its_own_page_that_links_to_its_exercises(client, taught):
    page = client.get(reverse("catalog:lesson_section", args=["doubling"])).content.decode()
    assert "Doubling things" in page and "Scaling a vector multiplies each entry" in page
    assert f'href="{reverse("catalog:exercise_detail", args=[taught.slug])}"' in page
    assert client.get(reverse("catalog:lesson_section", args=["no-such-section"])).status_code == 404


def test_the_track_page_shows_prerequisites_and_estimated_minutes(client, taught):
    page = client.get(reverse("catalog:track_list")).content.decode()
    assert "about 7 min" in page
    assert f'Lesson: <a href="{reverse("catalog:lesson_section", args=["doubling"])}">Doubling things</a>' in page
    assert f'Do first: <a href="{reverse("catalog:exercise_detail", args=["timing-probe"])}">' in page


def test_instructors_can_read_every_explanation(client, instructor, taught):
    client.force_login(instructor)
    response = client.get(reverse("catalog:explanation", args=[taught.slug]))
    assert response.status_code == 200 and "every element doubles" in response.content.decode()


def test_the_reference_solution_stays_hidden_until_the_explanation_opens(client, learner, taught, sent_tasks):
    attempt(learner, taught, "wrong_answer", 0.0)
    client.force_login(learner)
    page = client.get(reverse("catalog:exercise_detail", args=[taught.slug])).content.decode()
    api = client.get(f"/api/exercises/{taught.slug}").content.decode()
    assert "x * 2" not in page and "x * 2" not in api


def test_a_sync_re_renders_an_unchanged_version_with_the_current_renderer(taught, settings):
    from catalog.models import ExerciseVersion

    ExerciseVersion.objects.filter(id=taught.current_version_id).update(statement_html="<p>old</p>", hints_html=[])
    exercises_sync(root=settings.EXERCISES_DIR, publish_unproven=True)
    version = ExerciseVersion.objects.get(id=taught.current_version_id)
    assert version.statement_html != "<p>old</p>" and len(version.hints_html) == 2


def test_the_exercise_page_names_the_versions_its_check_was_proven_on(client, taught, settings):
    import json

    from grader.authoring import proof_path

    path = proof_path(settings.EXERCISES_DIR, taught.slug)
    path.parent.mkdir(parents=True, exist_ok=True)
    proof = {"version": taught.current_version.version, "python": "3.13.5", "numpy": "2.2.4", "torch": None}
    path.write_text(json.dumps({**proof, "checked_at": "2026-11-29T12:00:00Z"}))
    page = client.get(reverse("catalog:exercise_detail", args=[taught.slug])).content.decode()
    assert "Python 3.13.5, NumPy 2.2.4 (2026-11-29)" in page and "PyTorch" not in page

    path.write_text(json.dumps({**proof, "version": "an-older-version"}))
    page = client.get(reverse("catalog:exercise_detail", args=[taught.slug])).content.decode()
    assert 'id="proof"' not in page  # a proof of another version proves nothing about this one


def test_instructors_see_hint_use_in_the_cohort_grid(client, instructor, learner, cohort, taught, sent_tasks):
    from cohorts.services import cohort_join

    cohort_join(user=learner, code=cohort.join_code)
    attempt(learner, taught, "wrong_answer", 0.0)
    hint_unlock(user=learner, exercise=taught)
    client.force_login(instructor)
    page = client.get(reverse("cohorts:detail", args=[cohort.id])).content.decode()
    assert '<span class="hints-used" title="hints opened">1 hint</span>' in page


def test_an_open_cohort_without_its_own_deadline_keeps_the_explanation_closed(
    client, learner, instructor, cohort, taught, sent_tasks
):
    """Issue 20 item 4: one cohort's deadline passed, another counts the exercise with no deadline of its own.

    The explanation follows the counting rule: while any cohort of the learner still counts the
    exercise, its reference stays hidden (a copy would be accepted and ranked there).
    """
    from cohorts.selectors import still_counted_somewhere
    from cohorts.services import cohort_create

    _member_since(cohort, learner, days_ago=30)
    _deadline(cohort, taught, hours_from_now=-1)
    open_one = cohort_create(user=instructor, name="Open", starts_at=timezone.now() - timezone.timedelta(days=1))
    _member_since(open_one, learner, days_ago=30)
    assert still_counted_somewhere(user=learner, exercise=taught, when=timezone.now())
    client.force_login(learner)
    response = client.get(reverse("catalog:explanation", args=[taught.slug]), follow=True)
    page = response.content.decode()
    assert "reference-code" not in page and "still counts" in page
    detail = client.get(reverse("catalog:exercise_detail", args=[taught.slug])).content.decode()
    assert "reference-code" not in detail


def test_a_cohort_end_date_is_the_deadline_the_explanation_waits_for(
    client, learner, instructor, cohort, taught, sent_tasks
):
    """No own deadline, but the cohort ended: the counting rule stops counting, and the explanation opens."""
    from cohorts.models import Cohort

    _member_since(cohort, learner, days_ago=30)
    Cohort.objects.filter(pk=cohort.pk).update(ends_at=timezone.now() - timezone.timedelta(hours=1))
    client.force_login(learner)
    response = client.get(reverse("catalog:explanation", args=[taught.slug]))
    assert response.status_code == 200 and "reference-code" in response.content.decode()


def test_a_deadline_on_the_exercise_page_names_its_time_zone(client, learner, cohort, taught, settings):
    """Issue 23 item 9: "Deadline: Dec 8, 2026 17:00" is ambiguous to a learner abroad."""
    settings.TIME_ZONE = "Europe/Paris"
    _member_since(cohort, learner, days_ago=1)
    _deadline(cohort, taught, hours_from_now=48)
    client.force_login(learner)
    page = client.get(reverse("catalog:exercise_detail", args=[taught.slug])).content.decode()
    deadline = page[page.index("Deadline for Spring") :].split("</p>")[0]
    assert "CET" in deadline or "CEST" in deadline
    assert '<time datetime="' in deadline
