"""Issue 23, walked as a person meets it in chromium: a session that ends mid-work, the result
page, the Run result, the way on, the keyboard and the phone. Grading is real and in-process
(the learning loop's site). Screenshots: docs/screenshots/result-page.png, phone-exercise-folded.png.
"""

from __future__ import annotations

import shutil

import pytest

from tests.browser.conftest import shoot
from tests.browser.test_learning_loop import EXERCISE, PHONE, RIGHT, WRONG, editor_text, focused, log_in, loop_site
from tests.conftest import ROOT

pytestmark = [pytest.mark.browser]
__all__ = ["loop_site"]  # the fixture, imported for pytest

NEXT = "shape-rule"  # the track's second exercise


@pytest.fixture
def site(loop_site, settings):
    """The learning loop's site, with the track's next exercise as well."""
    from pathlib import Path

    from catalog.services import exercises_sync

    root = Path(settings.EXERCISES_DIR)
    shutil.copytree(ROOT / "exercises" / NEXT, root / NEXT)
    exercises_sync(root=root, publish_unproven=True)
    return loop_site


def set_code(page, code: str) -> None:
    page.evaluate("c => document.querySelector('.CodeMirror').CodeMirror.setValue(c)", code)


def open_exercise(page, site: str, slug: str = EXERCISE) -> None:
    page.goto(f"{site}/exercises/{slug}/")
    page.wait_for_selector(".CodeMirror")


def test_a_session_that_ends_mid_work_is_said_and_loses_nothing(site, page):
    """Item 1: logged out in another tab, Run and Submit say so; logging in returns with the draft
    and the submission that was refused."""
    from django.contrib.sessions.models import Session

    log_in(page, site, "sam")
    open_exercise(page, site)
    set_code(page, RIGHT)
    Session.objects.all().delete()  # logged out elsewhere (or expired)

    page.click("#run-button")
    page.wait_for_selector("#trial-result #logged-out")
    assert "You were logged out" in page.locator("#trial-result").inner_text()
    assert "Unexpected token" not in page.content()

    page.click("#submit-button")
    page.wait_for_selector("#submit-status #logged-out")
    assert "your submission was not sent" in page.locator("#submit-status").inner_text()
    assert page.url.endswith(f"/exercises/{EXERCISE}/")  # still here, no error page

    page.click("#submit-status #log-in-again")
    page.fill("input[name=username]", "sam")
    page.fill("input[name=password]", "a-long-password-1")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".CodeMirror")
    assert page.url.endswith(f"/exercises/{EXERCISE}/") and editor_text(page) == RIGHT
    assert page.locator("#pending-submit").is_visible()

    page.click("#resubmit-button")
    page.wait_for_selector(".verdict.accepted")


def test_the_result_page_says_the_mistake_once_and_keeps_the_way_back_in_reach(site, page):
    """Item 2: one mistake at the top, the verdict as the heading, the way back on the first screen."""
    log_in(page, site, "rae")
    open_exercise(page, site)
    set_code(page, WRONG)
    page.click("#submit-button")
    page.wait_for_selector("#result-heading .verdict.wrong_answer")
    heading = page.locator("#result-heading").inner_text()
    assert "Wrong answer" in heading and "Graded" not in heading
    text = page.locator("#result").inner_text()
    mistake = page.locator("#mistake p").first.inner_text()
    assert mistake and text.count(mistake) == 1
    back = page.locator("#back-to-exercise").bounding_box()
    assert back["y"] + back["height"] <= page.viewport_size["height"]  # no scrolling past the cases
    shoot(page, "result-page")


def test_the_run_result_comes_into_view_with_its_verdict(site, browser):
    """Item 3: at 1366x900 the whole Run result is scrolled to, its verdict in the heading."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        log_in(page, site, "ray")
        open_exercise(page, site)
        set_code(page, WRONG)
        page.click("#run-button")
        page.wait_for_selector("#trial-card[data-finished='1']", timeout=60_000)
        card = page.locator("#trial-card").bounding_box()
        assert 0 <= card["y"] < 200, card  # the top of the result, not only its heading at the bottom
        assert "Wrong answer" in page.locator("#trial-heading").inner_text()
        assert "Done" not in page.locator("#trial-heading").inner_text()
    finally:
        context.close()


def test_an_accepted_answer_leads_on_to_the_next_exercise(site, page):
    """Item 5: the accepted page and the explanation both lead to the track's next exercise."""
    log_in(page, site, "lou")
    open_exercise(page, site)
    set_code(page, RIGHT)
    page.click("#submit-button")
    page.wait_for_selector(".verdict.accepted")
    assert "1 of 2 solved" in page.locator("#track-progress").inner_text()
    page.click("#explanation-link")
    page.wait_for_selector("#reference-code")
    page.click("#next-exercise")
    page.wait_for_selector(".CodeMirror")
    assert page.url.endswith(f"/exercises/{NEXT}/")


def test_shift_tab_leaves_the_editor_backwards_and_a_submit_lands_on_the_verdict(site, page):
    """Item 7: Shift+Tab (with nothing selected) is the way out backwards; after Submit the focus is
    on the verdict and the way back is the next Tab."""
    log_in(page, site, "kit")
    open_exercise(page, site)
    set_code(page, WRONG)
    page.locator(".CodeMirror").click()
    page.keyboard.press("Control+End")
    before = editor_text(page)
    page.keyboard.press("Shift+Tab")
    assert focused(page) != "editor" and editor_text(page) == before

    page.locator(".CodeMirror").click()
    page.keyboard.press("Escape")
    page.keyboard.press("Shift+Tab")
    assert focused(page) != "editor" and editor_text(page) == before

    page.locator(".CodeMirror").click()
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".verdict.wrong_answer")
    assert focused(page) == "result-heading"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab") if focused(page) == "mistake-hint-link" else None
    assert focused(page) == "back-to-exercise"


def test_on_a_phone_the_editor_is_on_the_first_screen_and_the_header_on_one_line(site, browser):
    """Item 8: the statement folds, the editor starts within a screen, the help speaks of touch."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        log_in(page, site, "pia")
        open_exercise(page, site)
        editor = page.locator(".CodeMirror").bounding_box()
        assert editor["y"] < PHONE["height"] * 0.6, editor
        assert editor["y"] + editor["height"] <= PHONE["height"] * 1.3
        header = page.locator("header.top").bounding_box()
        assert header["height"] < 60, header  # one line
        help_text = page.locator("#editor-help").inner_text()
        assert "Tap" in help_text and "Esc" not in help_text
        shoot(page, "phone-exercise-folded")
        page.click("#statement-fold > summary")
        assert page.locator("#statement-fold").evaluate("d => d.open")
    finally:
        context.close()


def test_the_grade_book_during_a_regrade_keeps_its_numbers_and_draws_its_pictures(site, page, monkeypatch):
    """Items 10 and 14, as an instructor meets them: a re-grade is said with its progress, the numbers
    stay the last complete ones, and the pictures come with their numbers in a table."""
    from django.utils import timezone

    from accounts.services import user_create
    from catalog.models import Exercise
    from cohorts.services import cohort_create, cohort_join, cohort_regrade
    from config.celery import app
    from submissions.services import submission_create

    teacher = user_create(username="tess", email="tess@example.com", password="a-long-password-1", is_instructor=True)
    exercise = Exercise.objects.get(slug=EXERCISE)
    cohort = cohort_create(user=teacher, name="Winter", starts_at=timezone.now() - timezone.timedelta(days=1))
    for name, code in (("ann", RIGHT), ("ben", WRONG), ("ben", RIGHT)):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username=name).first() or user_create(
            username=name, email=f"{name}@example.com", password="a-long-password-1"
        )
        cohort_join(user=user, code=cohort.join_code)
        submission_create(user=user, exercise=exercise, source=code)  # graded at once, in process

    log_in_as = page.context
    from django.test import Client

    client = Client()
    client.force_login(teacher)
    log_in_as.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}])
    page.goto(f"{site}/cohorts/{cohort.id}/")
    before = page.locator("table.grid").inner_text()
    assert "×2" in before  # ben's two attempts

    monkeypatch.setattr(app, "send_task", lambda *args, **kwargs: None)  # the re-grade waits in its queue
    cohort_regrade(user=teacher, cohort=cohort, exercise=exercise)
    page.reload()
    progress = page.locator("#regrade-progress")
    assert progress.is_visible() and "0 of 3" in progress.inner_text()
    assert page.locator("table.grid").inner_text() == before  # the last complete numbers

    for figure in ("#solves-chart", "#spread-chart"):
        svg = page.locator(f"{figure} svg")
        assert svg.get_attribute("role") == "img"
        assert page.locator(f"{figure} svg title").text_content()
        assert svg.bounding_box()["width"] > 200  # drawn, not an empty box
    assert "2" in page.locator("table.chart-numbers").first.inner_text()
    assert page.locator("script[src*='chart']").count() == 0  # no JavaScript bundle
    shoot(page, "grade-book-regrade")


CONTRAST = """el => {
  const rgb = c => c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const linear = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const lum = c => { const [r, g, b] = rgb(c).map(linear); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const clear = c => c === 'rgba(0, 0, 0, 0)' || c === 'transparent';
  let back = el, bg = 'rgba(0, 0, 0, 0)';
  while (back && clear(bg)) { bg = getComputedStyle(back).backgroundColor; back = back.parentElement; }
  const [a, b] = [lum(getComputedStyle(el).color), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def test_discard_it_is_readable_on_its_note(site, page):
    """Item 9: "Discard it" was white on pale yellow; text needs a contrast of at least 4.5:1 (WCAG AA)."""
    log_in(page, site, "dot")
    open_exercise(page, site)
    set_code(page, "def matmul(A, B):\n    return 'draft'\n")
    page.reload()
    page.wait_for_selector("#draft-note:not([hidden])")
    assert page.locator("#discard-draft").evaluate(CONTRAST) >= 4.5


def test_a_session_that_ends_while_a_run_waits_is_said_too(site, page, monkeypatch):
    """Item 1: the Run result's polling meets the lost session as words, not a JSON error."""
    from django.contrib.sessions.models import Session

    from submissions import pipeline

    # The run waits for a worker: its task is never sent (the one pipeline sends both lanes' tasks).
    monkeypatch.setattr(pipeline, "send_grading", lambda job_id, **options: None)
    log_in(page, site, "val")
    open_exercise(page, site)
    page.click("#run-button")
    page.wait_for_timeout(300)
    Session.objects.all().delete()
    page.wait_for_selector("#trial-result #logged-out", timeout=15_000)
    assert "You were logged out" in page.locator("#trial-result").inner_text()
