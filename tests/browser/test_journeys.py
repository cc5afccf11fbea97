"""A learner from sign-up to the leaderboard, an instructor from a new cohort to its CSV.

Real browser (Debian's chromium), real live server, real Celery worker, real Docker.
Screenshots of the main pages are saved under docs/screenshots/ for the README.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone

from tests.browser.conftest import shoot
from tests.conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.docker, pytest.mark.redis]

EXERCISES = ROOT / "exercises"
WRONG = "def matmul(A, B):\n    return [[a * b for a, b in zip(r, s)] for r, s in zip(A, B)]\n"
RIGHT = (
    "def matmul(A, B):\n"
    "    m, n, p = len(A), len(A[0]), len(B[0])\n"
    "    if n != len(B):\n"
    "        raise ValueError(f'cannot multiply ({m}, {n}) by ({len(B)}, {p})')\n"
    "    return [[sum(A[i][k] * B[k][j] for k in range(n)) for j in range(p)] for i in range(m)]\n"
)


@pytest.fixture
def site(pipeline, live_server, settings):
    from catalog.services import exercises_sync

    settings.EXERCISES_DIR = EXERCISES
    exercises_sync(root=EXERCISES, publish_unproven=True)
    pipeline.start(TENSORDOJO_EXERCISES_DIR=str(EXERCISES))
    return live_server.url


def type_code(page, code: str) -> None:
    """Replace the editor's content (CodeMirror when it loaded, else the plain textarea)."""
    page.evaluate(
        """code => {
            const cm = document.querySelector('.CodeMirror');
            if (cm) { cm.CodeMirror.setValue(code); } else { document.getElementById('source').value = code; }
        }""",
        code,
    )


def submit_and_wait(page, code: str) -> None:
    type_code(page, code)
    page.click("#submit-button")
    page.wait_for_selector("#result-heading .verdict", timeout=90_000)  # the page updates itself; no reload


def test_a_learner_signs_up_fails_then_passes_and_finds_themselves_on_the_leaderboard(site, page):
    page.goto(f"{site}/accounts/signup/")
    page.fill("#id_username", "grace")
    page.fill("#id_email", "grace@example.com")
    page.fill("#id_password1", "a-long-password-1")
    page.fill("#id_password2", "a-long-password-1")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Welcome to tensordojo")
    shoot(page, "exercises")

    page.goto(f"{site}/accounts/profile/")
    page.fill("#id_display_name", "Matrix Cat")
    page.click("main button[type=submit]")

    page.goto(f"{site}/exercises/matmul-by-hand/")
    page.wait_for_selector(".katex")  # the statement's maths was typeset
    page.wait_for_selector(".CodeMirror")  # the editor loaded
    shoot(page, "exercise")

    submit_and_wait(page, WRONG)
    assert page.locator(".verdict.wrong_answer").count() == 1
    assert "This multiplies matching entries" in page.locator("#mistake").inner_text()  # the diagnosis, in words
    shoot(page, "result-wrong")

    page.goto(f"{site}/exercises/matmul-by-hand/")
    submit_and_wait(page, RIGHT)
    assert page.locator(".verdict.accepted").count() == 1
    shoot(page, "result-accepted")

    page.goto(f"{site}/leaderboards/exercise/matmul-by-hand/")
    mine = page.locator("tr.me")
    assert mine.count() == 1 and "Matrix Cat" in mine.inner_text()
    shoot(page, "leaderboard")


def test_an_instructor_creates_a_cohort_and_exports_its_grades(site, page):
    from accounts.services import user_create
    from cohorts.services import cohort_join

    user_create(username="prof", email="prof@example.com", password="a-long-password-1", is_instructor=True)
    page.goto(f"{site}/accounts/login/")
    page.fill("#id_username", "prof")
    page.fill("#id_password", "a-long-password-1")
    page.click("main button[type=submit]")

    page.goto(f"{site}/cohorts/new/")
    page.fill("#id_name", "Linear algebra, spring")
    page.fill("#id_starts_at", (timezone.now() - timezone.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Learners join with the code")
    code = page.locator(".join-code").inner_text()

    learner = user_create(username="lin", email="lin@example.com", password="a-long-password-1")
    from cohorts.models import Cohort

    cohort_join(user=learner, code=code)
    cohort = Cohort.objects.get(join_code=code)
    page.goto(f"{site}/cohorts/{cohort.id}/")
    assert "lin" in page.locator("table.grid").inner_text()
    shoot(page, "cohort-dashboard")

    with page.expect_download() as download:
        page.click("text=Export CSV")
    rows = list(csv.reader(io.StringIO(open(download.value.path()).read())))
    assert rows[0][:2] == ["username", "display name"] and rows[1][0] == "lin"


def test_the_run_button_tries_the_visible_cases_in_the_sandbox_and_counts_for_nothing(site, page):
    from accounts.services import user_create
    from submissions.models import Submission

    user_create(username="ren", email="ren@example.com", password="a-long-password-1")
    page.goto(f"{site}/accounts/login/")
    page.fill("#id_username", "ren")
    page.fill("#id_password", "a-long-password-1")
    page.click("main button[type=submit]")

    page.goto(f"{site}/exercises/matmul-by-hand/")
    page.wait_for_selector(".CodeMirror")
    type_code(page, WRONG)
    page.click("#run-button")
    page.wait_for_selector("#trial-card[data-finished='1']", timeout=90_000)
    trial = page.locator("#trial-card")
    assert "Wrong answer" in trial.inner_text() and trial.locator(".tag", has_text="hidden").count() == 0
    assert trial.locator("table.cases tbody tr").count() >= 1
    assert not Submission.objects.exists()
    shoot(page, "run-in-sandbox")
