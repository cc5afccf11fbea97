"""Who sees a course's exercises: one rule (catalog.visibility.exercises_visible_to), on every page and endpoint.

A learner sees the exercises of public courses, and those of the courses a cohort of theirs
uses; a course's staff see their own course's; anyone else (an anonymous visitor too) is told
there is no such exercise, and what they send to one is refused and stores nothing.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.platform import lti_platform
from tests.platform.test_courses import course_folder, tar_gz

PRIVATE = "private-one"


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GRADER_CACHE_DIR = tmp_path / "cache"


@pytest.fixture
def private_course(catalogue, instructor, tmp_path):
    """A private course with one published exercise (in a track of its own), and the public built-in catalogue."""
    from catalog.models import Exercise
    from courses.services import course_for_push, push_create

    root = course_folder(tmp_path, PRIVATE)
    toml = root / PRIVATE / "exercise.toml"
    toml.write_text(toml.read_text().replace('track = "', 'track = "secret-track-', 1))
    course = course_for_push(user=instructor, slug="closed-course")
    entry = push_create(course=course, user=instructor, data=tar_gz(root), publish=False).exercises.get()
    Exercise.objects.filter(slug=PRIVATE).update(is_active=True, current_version=entry.version)
    return course


@pytest.fixture
def member(make_user, instructor, private_course):
    """A learner of a cohort that uses the private course's exercise."""
    from catalog.models import Exercise
    from cohorts.services import cohort_create, cohort_join

    cohort = cohort_create(
        user=instructor,
        name="Closed",
        starts_at=timezone.now() - timezone.timedelta(days=1),
        exercises=list(Exercise.objects.filter(slug=PRIVATE)),
    )
    learner = make_user("member")
    cohort_join(user=learner, code=cohort.join_code)
    return learner


@pytest.fixture
def outsider(make_user, private_course):
    return make_user("outsider")


def visit(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_the_rule_public_courses_plus_cohort_courses_plus_own_courses(private_course, member, outsider, instructor):
    from django.contrib.auth.models import AnonymousUser

    from catalog.visibility import exercises_visible_to

    def slugs(user):
        return set(exercises_visible_to(user=user).values_list("slug", flat=True))

    assert PRIVATE not in slugs(AnonymousUser()) and "golden-probe" in slugs(AnonymousUser())
    assert PRIVATE not in slugs(outsider) and "golden-probe" in slugs(outsider)
    assert PRIVATE in slugs(member) and "golden-probe" in slugs(member)
    assert PRIVATE in slugs(instructor)


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_the_exercise_list_hides_a_private_course(client, private_course, outsider, who):
    page = visit(client, outsider if who == "outsider" else None, "/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/exercises/golden-probe/" in html
    assert f"/exercises/{PRIVATE}/" not in html
    assert "secret-track" not in html.lower()  # a track with nothing visible in it is not listed either


@pytest.mark.parametrize("who", ["member", "instructor"])
def test_the_exercise_list_shows_it_to_a_member_and_to_its_staff(client, member, instructor, who):
    page = visit(client, member if who == "member" else instructor, "/")
    assert f"/exercises/{PRIVATE}/" in page.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        f"/exercises/{PRIVATE}/",
        f"/exercises/{PRIVATE}/explanation/",
        f"/leaderboards/exercise/{PRIVATE}/",
        f"/submissions/history/{PRIVATE}/",
    ],
)
def test_a_private_exercises_pages_are_not_found_by_an_outsider(client, outsider, url):
    assert visit(client, outsider, url).status_code == 404


@pytest.mark.parametrize("url", [f"/exercises/{PRIVATE}/", f"/leaderboards/exercise/{PRIVATE}/"])
def test_a_private_exercises_open_pages_are_not_found_by_an_anonymous_visitor(client, private_course, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", ["member", "instructor"])
def test_a_private_exercises_page_and_board_open_to_a_member_and_its_staff(client, member, instructor, who):
    user = member if who == "member" else instructor
    assert visit(client, user, f"/exercises/{PRIVATE}/").status_code == 200
    assert client.get(f"/leaderboards/exercise/{PRIVATE}/").status_code == 200


def test_the_api_lists_and_serves_a_private_exercise_only_to_those_who_see_it(client, outsider, member):
    client.force_login(outsider)
    listed = {row["slug"] for row in client.get("/api/exercises?limit=100").json()["results"]}
    assert "golden-probe" in listed and PRIVATE not in listed
    assert client.get(f"/api/exercises/{PRIVATE}").status_code == 404
    assert client.get(f"/api/leaderboards/{PRIVATE}").status_code == 404
    assert client.get(f"/api/exercises/{PRIVATE}/visible-cases").status_code == 404

    client.force_login(member)
    listed = {row["slug"] for row in client.get("/api/exercises?limit=100").json()["results"]}
    assert PRIVATE in listed
    assert client.get(f"/api/exercises/{PRIVATE}").status_code == 200
    assert client.get(f"/api/leaderboards/{PRIVATE}").status_code == 200


def test_an_outsiders_submission_to_a_private_exercise_is_not_found_and_stores_nothing(client, outsider, sent_tasks):
    from submissions.models import Submission
    from trials.models import TrialRun

    client.force_login(outsider)
    source = "def solve(x):\n    return x\n"
    assert client.post(f"/submissions/new/{PRIVATE}/", {"source": source}).status_code == 404
    api = client.post("/api/submissions", {"exercise": PRIVATE, "source": source}, content_type="application/json")
    assert api.status_code == 404
    assert client.post(f"/exercises/{PRIVATE}/run/", {"source": source}).status_code == 404
    trial = client.post("/api/trials", {"exercise": PRIVATE, "source": source}, content_type="application/json")
    assert trial.status_code == 404
    assert not Submission.objects.exists() and not TrialRun.objects.exists() and sent_tasks == []


def test_a_members_submission_to_it_is_taken(client, member, sent_tasks):
    from submissions.models import Submission

    client.force_login(member)
    response = client.post(
        "/api/submissions",
        {"exercise": PRIVATE, "source": "def solve(x):\n    return x\n"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Submission.objects.filter(user=member, exercise__slug=PRIVATE).count() == 1


lms = lti_platform.lms  # the LTI tests' platform (lti1p3platform), for the content picker
registered = lti_platform.registered


def test_the_lms_content_picker_neither_offers_nor_places_a_private_courses_exercise(
    client, lms, registered, private_course
):
    import re

    from django.urls import reverse

    response, _ = lti_platform.launch(
        client,
        lms,
        user_id="lms-teacher",
        roles=(lti_platform.INSTRUCTOR,),
        deep_link_return_url=lms.url + "/deep-link-return",
    )
    picker = response.content.decode()
    assert "exercise:golden-probe" in picker and f"exercise:{PRIVATE}" not in picker
    launch_id = re.search(r'name="launch_id" value="([^"]+)"', picker).group(1)
    chosen = client.post(reverse("lti:deep_link"), {"content": f"exercise:{PRIVATE}", "launch_id": launch_id})
    assert chosen.status_code == 400
