"""The preview's Run: a course's staff run code on exactly an unpublished version, through the trial lane.

The course's exercise is published at a version whose reference doubles; the next version,
pushed but not published, triples. Code that triples passes only if the run was graded on
the unpublished version. Nobody but the course's staff may preview it or run it.
"""

from __future__ import annotations

import shutil

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import FIXTURE_EXERCISES
from tests.platform.test_courses import tar_gz
from tests.platform.test_trials import trial_run

TRIPLES = "def solve(x):\n    return x * 3\n"
SLUG = "probe-copy"


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GRADER_CACHE_DIR = tmp_path / "cache"


def push_probe(tmp_path, instructor, *, solution: str):
    from courses.services import course_for_push, push_create

    root = tmp_path / f"push-{len(list(tmp_path.glob('push-*')))}"
    shutil.copytree(FIXTURE_EXERCISES / "sandbox-probe", root / SLUG)
    toml = root / SLUG / "exercise.toml"
    toml.write_text(toml.read_text().replace('slug = "sandbox-probe"', f'slug = "{SLUG}"'))
    (root / SLUG / "solution.py").write_text(solution)
    course = course_for_push(user=instructor, slug="preview-course")
    return push_create(course=course, user=instructor, data=tar_gz(root), publish=False).exercises.get().version


@pytest.fixture
def versions(db, instructor, tmp_path):
    """(published, unpublished) versions of one exercise of a private course."""
    from catalog.models import CheckStatus, ExerciseVersion
    from courses.services import version_publish

    published = push_probe(tmp_path, instructor, solution="def solve(x):\n    return x * 2\n")
    ExerciseVersion.objects.filter(id=published.id).update(check_status=CheckStatus.PASSED)
    published.refresh_from_db()
    version_publish(version=published)
    unpublished = push_probe(tmp_path, instructor, solution=TRIPLES)
    assert unpublished.id != published.id
    return published, unpublished


def preview_urls(version) -> tuple[str, str]:
    args = ["preview-course", version.id]
    return reverse("courses:preview", args=args), reverse("courses:preview_run", args=args)


def test_staff_run_an_unpublished_version_and_it_is_graded_on_exactly_that_version(
    client, instructor, versions, sent_trials, process_backend, django_capture_on_commit_callbacks
):
    from leaderboards.models import BestResult
    from submissions.models import Submission
    from trials.models import TrialRun, TrialStatus

    published, unpublished = versions
    page, run = preview_urls(unpublished)
    client.force_login(instructor)
    assert 'id="preview-run"' in client.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(run, {"source": TRIPLES})
    trial = TrialRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("trials:detail", args=[trial.id])
    assert trial.exercise_version_id == unpublished.id and sent_trials == [("run", str(trial.id), "trial")]

    assert trial_run(trial_id=trial.id, backend=process_backend) == "graded"
    trial.refresh_from_db()
    assert trial.status == TrialStatus.DONE and trial.result["verdict"] == "accepted"  # the published one doubles
    assert trial.result["leaderboard"] == []
    assert not Submission.objects.exists() and not BestResult.objects.exists()
    back = client.get(reverse("trials:detail", args=[trial.id])).content.decode()
    assert page in back  # the way back is the preview, not the learners' page


def test_a_learners_run_still_grades_the_published_version(
    client, make_user, versions, sent_trials, process_backend, django_capture_on_commit_callbacks
):
    from catalog.models import Exercise
    from cohorts.services import cohort_create, cohort_join
    from trials.models import TrialRun

    published, _ = versions
    cohort = cohort_create(
        user=published.exercise.course.staff.get().user,
        name="Preview cohort",
        starts_at=timezone.now() - timezone.timedelta(days=1),
        exercises=list(Exercise.objects.filter(slug=SLUG)),
    )
    learner = make_user("pupil")
    cohort_join(user=learner, code=cohort.join_code)
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("trials:run", args=[SLUG]), {"source": TRIPLES})
    trial = TrialRun.objects.get()
    assert trial.exercise_version_id == published.id
    trial_run(trial_id=trial.id, backend=process_backend)
    trial.refresh_from_db()
    assert trial.result["verdict"] == "wrong_answer"


@pytest.mark.parametrize("who", ["other-instructor", "cohort-learner", "learner"])
def test_no_one_but_the_staff_previews_or_runs_an_unpublished_version(client, make_user, versions, instructor, who):
    from catalog.models import Exercise
    from cohorts.services import cohort_create, cohort_join
    from trials.models import TrialRun

    _, unpublished = versions
    user = make_user(who, instructor=who == "other-instructor")
    if who == "cohort-learner":  # a learner of a cohort that uses the course sees its published version only
        cohort = cohort_create(
            user=instructor,
            name="C",
            starts_at=timezone.now() - timezone.timedelta(days=1),
            exercises=list(Exercise.objects.filter(slug=SLUG)),
        )
        cohort_join(user=user, code=cohort.join_code)
    page, run = preview_urls(unpublished)
    client.force_login(user)
    assert client.get(page).status_code == 404
    assert client.post(run, {"source": TRIPLES}).status_code == 404
    assert not TrialRun.objects.exists()


def test_the_service_refuses_a_non_staff_caller_too(make_user, versions):
    from courses.services import CourseRefused, preview_trial_create
    from trials.models import TrialRun

    _, unpublished = versions
    with pytest.raises(CourseRefused):
        preview_trial_create(user=make_user("pupil"), version=unpublished, source=TRIPLES)
    assert not TrialRun.objects.exists()


def test_an_unpublished_exercise_cannot_be_run_from_the_learners_page(client, instructor, tmp_path, db):
    push_probe(tmp_path, instructor, solution=TRIPLES)  # a new exercise, never published
    client.force_login(instructor)
    assert client.post(reverse("trials:run", args=[SLUG]), {"source": TRIPLES}).status_code == 404
