"""An instructor authors an exercise in the browser, proves it in the sandbox, publishes it; a learner solves it.

Real chromium, live server, Celery worker and Docker. The exercise's checks run in the
exercise sandbox right after each save commits (as the `authoring` queue's task would).
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.browser.conftest import shoot
from tests.browser.test_journeys import submit_and_wait

pytestmark = [pytest.mark.browser, pytest.mark.docker, pytest.mark.redis]

TOML = """slug = "double-it"
title = "Double every number"
track = "warm-ups"
order = 1
difficulty = "easy"
kind = "implement"
summary = "Return a new list with every number doubled."
entry_points = ["double"]
modules = []

[limits]
time_s = 10
memory_mb = 256
"""
README = "# Double every number\n\nWrite `double(xs)`: a new list with each number of `xs` times two.\n"
SOLUTION = "def double(xs):\n    return [2 * x for x in xs]\n"
STARTER = 'def double(xs):\n    """A new list, each number of xs times two."""\n    raise NotImplementedError\n'
CASES = """from grader import diagnosis as dx
from grader.cases import Case


def build_cases(rng):
    hidden = [float(v) for v in rng.uniform(3.0, 9.0, size=5)]
    return [
        Case("three numbers", "double", ([1.0, 3.0, -2.5],), allow_lists=True, explain="1, 3, -2.5"),
        Case("one number", "double", ([7.0],), allow_lists=True),
        Case("hidden: five numbers", "double", (hidden,), visible=False, allow_lists=True),
    ]


DIAGNOSES = [
    dx.alternative("unchanged", "You returned the numbers unchanged: multiply each by two.", lambda xs: list(xs)),
    dx.alternative("squared", "You squared the numbers; double them instead.", lambda xs: [x * x for x in xs]),
    dx.alternative("plus-two", "You added two; multiply by two instead.", lambda xs: [x + 2 for x in xs]),
]
"""
MISTAKES = {
    "mistakes/unchanged.py": "# expect: unchanged\ndef double(xs):\n    return list(xs)\n",
    "mistakes/squared.py": "# expect: squared\ndef double(xs):\n    return [x * x for x in xs]\n",
    "mistakes/plus_two.py": "# expect: plus-two\ndef double(xs):\n    return [x + 2 for x in xs]\n",
}


@pytest.fixture
def site(pipeline, live_server, monkeypatch, docker_backend):
    from courses import services

    monkeypatch.setattr(
        services,
        "_enqueue_check",
        lambda entry: services.pushed_exercise_check(entry_id=entry.id, backend=docker_backend),
    )
    pipeline.start()
    return live_server.url


def log_in(page, site: str, username: str) -> None:
    page.goto(f"{site}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "a-long-password-1")
    page.click("main button[type=submit]")


def fill_file(page, name: str, text: str) -> None:
    page.locator(f"textarea[name='file:{name}']").fill(text)


def test_an_instructor_authors_proves_and_publishes_an_exercise_that_a_learner_solves(site, page, browser):
    from accounts.services import user_create
    from cohorts.models import Cohort

    user_create(username="prof", email="prof@example.com", password="a-long-password-1", is_instructor=True)
    page.set_default_timeout(240_000)  # each save waits for its check in the sandbox (seconds; more under load)
    log_in(page, site, "prof")

    page.click("nav >> text=Courses")
    page.fill("#id_slug", "first-course")
    page.fill("#id_title", "My first course")
    page.click("main button:has-text('Create the course')")
    page.wait_for_selector("h1:has-text('My first course')")

    page.fill("form[action$='new-exercise/'] #id_slug", "double-it")
    page.click("main button:has-text('Create it')")
    page.wait_for_selector(".check-status strong.check-failed")  # the template's TODOs are not an exercise yet
    assert "TODO" in page.locator(".check-reason").inner_text()

    page.click("main a:has-text('Edit')")
    for name, text in {"exercise.toml": TOML, "README.md": README, "solution.py": SOLUTION, "cases.py": CASES}.items():
        fill_file(page, name, text)
    fill_file(page, "starter.py", SOLUTION)  # a starter that already passes: nothing left to do
    fill_file(page, "mistakes/forgot_double.py", "")  # the template's own mistake goes
    for name in ("hints.md", "explanation.md"):
        fill_file(page, name, "")
    for name, text in MISTAKES.items():
        page.fill("#new-name", name)
        page.fill("#new-text", text)
        page.click("main button:has-text('Save and check')")
        page.wait_for_selector(".check-status strong.check-failed, .check-status strong.check-passed")
        page.click("main a:has-text('Edit')")
    page.click("main button:has-text('Save and check')")
    page.wait_for_selector(".check-status strong.check-failed")
    assert "the starter passes every case" in page.locator(".check-reason").inner_text()

    page.click("main a:has-text('Edit')")
    fill_file(page, "starter.py", STARTER)
    page.click("main button:has-text('Save and check')")
    page.wait_for_selector(".check-status strong.check-passed")
    shoot(page, "authoring-check-passed")

    # Preview as a learner, and Run on exactly this version before it is published (the trial lane).
    page.click("main a:has-text('Preview as a learner')")
    page.fill("#preview-source", SOLUTION)
    page.click("#preview-run")
    page.wait_for_selector("#trial-card[data-finished='1']", timeout=60_000)
    assert page.locator("#trial-card .verdict.accepted").count() == 1
    page.click("main a:has-text('Back to the preview')")
    page.click("main a:has-text('the check of this version')")
    page.click("main button:has-text('Publish')")
    page.wait_for_selector("text=is published")

    page.goto(f"{site}/cohorts/new/")
    page.fill("#id_name", "Warm-ups")
    page.fill("#id_starts_at", (timezone.now() - timezone.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    page.check("label:has-text('Double every number') input")
    page.click("main button[type=submit]")
    page.wait_for_selector(".join-code")
    code = page.locator(".join-code").inner_text()
    assert Cohort.objects.get(join_code=code).exercises.filter(slug="double-it").exists()

    user_create(username="lea", email="lea@example.com", password="a-long-password-1")
    learner = browser.new_context(viewport={"width": 1280, "height": 860}).new_page()
    log_in(learner, site, "lea")
    learner.goto(f"{site}/cohorts/")
    learner.fill("#id_code", code)
    learner.click("main button:has-text('Join')")
    learner.goto(f"{site}/exercises/double-it/")
    learner.wait_for_selector(".CodeMirror")
    submit_and_wait(learner, SOLUTION)
    assert learner.locator(".verdict.accepted").count() == 1
