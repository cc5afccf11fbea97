"""An instructor's LMS journey and the similarity report, in a real browser (Debian's chromium).

The LMS is lti1p3platform on a loopback server: the course link starts the OIDC login,
the platform answers with a self-posting signed launch, and it receives the deep link
and the scores. Grading is driven through the submissions state machine, as a worker does.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import shoot
from tests.conftest import FIXTURE_EXERCISES
from tests.platform.conftest import graded
from tests.platform.lti_platform import INSTRUCTOR, LEARNER, TestPlatform

pytestmark = [pytest.mark.browser]

PASSWORD = "a-long-password-1"
ORIGINAL = """def solve(x):
    total = 0.0
    for i, v in enumerate(x):
        total += v * (i + 1)
    return [v / (total + 1e-9) for v in x]
"""
# Renamed, squeezed, and with a comment that would run if the page did not escape it.
COPIED = """def solve(x):
    # <script>alert('x')</script>
    s=0.0
    for k,w in enumerate(x):
        s+=w*(k+1)
    return [w/(s+1e-9) for w in x]
"""


@pytest.fixture
def site(live_server, transactional_db, settings):
    from catalog.services import exercises_sync

    settings.EXERCISES_DIR = FIXTURE_EXERCISES
    exercises_sync(root=FIXTURE_EXERCISES, publish_unproven=True)
    return live_server.url


@pytest.fixture
def lms(site):
    from lti_tool.models import Key, LtiDeployment, LtiRegistration

    from lti.services import tool_key

    platform = TestPlatform(site)
    tool_key()
    registration = LtiRegistration.objects.create(
        name="Browser LMS",
        issuer=platform.issuer,
        client_id=platform.client_id,
        auth_url=platform.auth_url,
        token_url=platform.token_url,
        keyset_url=platform.jwks_url,
    )
    LtiDeployment.objects.create(registration=registration, deployment_id=platform.deployment_id, is_active=True)
    platform.tool_jwks = Key.objects.as_jwks()
    yield platform
    platform.close()


def test_an_instructor_places_an_exercise_and_the_lms_gets_the_learners_score(site, lms, browser):
    from catalog.models import Exercise
    from lti.models import LtiAccount
    from submissions.services import submission_create

    teacher = browser.new_context().new_page()
    teacher.goto(lms.prepare("lms-teacher", roles=[INSTRUCTOR], deep_link_return_url=lms.url + "/deep-link-return"))
    teacher.wait_for_selector('[data-testid="lti-picker"]')
    shoot(teacher, "lti-content-picker")
    teacher.check('input[value="exercise:sandbox-probe"]')
    teacher.click("text=Place in my course")
    teacher.wait_for_selector("#placed")
    [item] = lms.placed
    assert item["custom"] == {"tensordojo_exercise": "sandbox-probe"}

    learner = browser.new_context().new_page()
    learner.goto(lms.prepare("lms-ada", roles=[LEARNER], custom=item["custom"], lineitem=lms.lineitem_url("col-1")))
    learner.wait_for_url("**/exercises/sandbox-probe/")
    account = LtiAccount.objects.select_related("user").get(lti_user__sub="lms-ada")
    assert account.user.username in learner.content()

    exercise = Exercise.objects.get(slug="sandbox-probe")
    graded(submission_create(user=account.user, exercise=exercise, source="def solve(x):\n    return x\n"), score=10)

    [score] = lms.scores
    assert (score["userId"], score["scoreGiven"], score["scoreMaximum"]) == ("lms-ada", 10, exercise.points)


def test_a_forged_launch_in_the_browser_shows_why_it_was_refused(site, lms, page):
    lms.prepare("lms-ada", roles=[LEARNER], custom={"tensordojo_exercise": "sandbox-probe"}, expires_in=-60)
    page.goto(f"{lms.url}/start/lms-ada")
    page.wait_for_selector('[data-testid="lti-error"]')
    assert "expired" in page.inner_text('[data-testid="lti-error"]')


def test_an_instructor_reads_the_similarity_report_side_by_side(site, page):
    from accounts.services import user_create
    from catalog.models import Exercise
    from cohorts.services import cohort_create, cohort_join
    from submissions.services import submission_create

    teacher = user_create(username="teacher", email="t@example.com", password=PASSWORD, is_instructor=True)
    cohort = cohort_create(user=teacher, name="Spring", starts_at=teacher.date_joined)
    exercise = Exercise.objects.get(slug="sandbox-probe")
    for name, source in (("ann", ORIGINAL), ("bob", COPIED)):
        user = user_create(username=name, email=f"{name}@example.com", password=PASSWORD)
        cohort_join(user=user, code=cohort.join_code)
        graded(submission_create(user=user, exercise=exercise, source=source, cohort=cohort), score=10)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto(f"{site}/accounts/login/")
    page.fill("#id_username", "teacher")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{site}/cohorts/{cohort.id}/")
    page.click("text=Similarity report")
    page.click(f"text={exercise.title}")
    assert "never a verdict" in page.inner_text('[data-testid="similarity-notice"]')
    page.click("text=side by side")
    page.wait_for_selector('[data-testid="similarity-left"] mark')
    shoot(page, "similarity-pair")

    assert "<script>alert('x')</script>" in page.inner_text('[data-testid="similarity-right"]')
    assert dialogs == []
