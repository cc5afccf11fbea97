"""The learning loop in a real browser: run -> fail -> hint -> submit -> accepted -> explanation.

Walked twice: with the keyboard only (no clicks) at desktop size, and by touch at phone size
(390x844), where no page may scroll sideways. Grading is real (grader.grading.grade) but runs in
the test process with the local process backend, so no Docker or broker is needed; the Docker
pipeline is covered by test_journeys.py. Screenshots go to docs/screenshots/loop-*.png.
"""

from __future__ import annotations

import shutil

import pytest

from tests.browser.conftest import shoot
from tests.conftest import ROOT

pytestmark = [pytest.mark.browser]

EXERCISE = "matmul-by-hand"
WRONG = "def matmul(A, B):\n    return [[a * b for a, b in zip(r, s)] for r, s in zip(A, B)]\n"
RIGHT = (
    "def matmul(A, B):\n"
    "    m, n, p = len(A), len(A[0]), len(B[0])\n"
    "    if n != len(B):\n"
    "        raise ValueError(f'cannot multiply ({m}, {n}) by ({len(B)}, {p})')\n"
    "    return [[sum(A[i][k] * B[k][j] for k in range(n)) for j in range(p)] for i in range(m)]\n"
)
# Used only while the exercise folder has no hints/explanation of its own yet.
FALLBACK_HINTS = (
    "## Shapes first\n\nWrite down the shape of A, of B and of the result.\n\n"
    "## One entry\n\nEntry (i, j) pairs row i of A with column j of B.\n"
)
FALLBACK_EXPLANATION = "Each entry of the product is a dot product of a row and a column.\n"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def loop_site(live_server, settings, tmp_path, monkeypatch):
    """The real exercise (and the real lesson when there is one), graded in-process at once."""
    from catalog.services import exercises_sync
    from config.celery import app
    from grader.backends import get_backend
    from submissions.dispatch import GRADE_TASK
    from submissions.lanes import lane_named
    from submissions.worker import run

    root = tmp_path / "exercises"
    shutil.copytree(ROOT / "exercises" / EXERCISE, root / EXERCISE)
    for extra in ("tracks.toml", "lesson"):
        source = ROOT / "exercises" / extra
        if source.is_dir():
            shutil.copytree(source, root / extra)
        elif source.is_file():
            shutil.copy(source, root / extra)
    folder = root / EXERCISE
    if not (folder / "hints.md").is_file():
        (folder / "hints.md").write_text(FALLBACK_HINTS)
    if not (folder / "explanation.md").is_file():
        (folder / "explanation.md").write_text(FALLBACK_EXPLANATION)
    settings.EXERCISES_DIR = root
    exercises_sync(root=root, publish_unproven=True)

    import grader.grading
    from grader.reference import ExpectedStore

    monkeypatch.setattr(grader.grading, "_default_store", ExpectedStore(tmp_path / "cache"))
    backend = get_backend("process", allow=True)

    def send_task(name, args=None, kwargs=None, **options):
        assert name == GRADE_TASK, name  # submissions and trials: one task, one worker path
        run(lane_named((kwargs or {}).get("lane")), job_id=args[0], worker="browser-test", backend=backend)

    monkeypatch.setattr(app, "send_task", send_task)
    return live_server.url


def log_in(page, site: str, username: str):
    """A session cookie for a fresh learner (logging in is not what these tests are about)."""
    from django.test import Client

    from accounts.services import user_create

    user = user_create(username=username, email=f"{username}@example.com", password="a-long-password-1")
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}])
    return user


def focused(page) -> str:
    return page.evaluate(
        "() => { const a = document.activeElement; return a.closest('.CodeMirror') ? 'editor' : (a.id || a.tagName); }"
    )


def tab_to(page, target: str, limit: int = 80) -> None:
    """Press Tab until the element with this id (or 'editor') has the focus."""
    for _ in range(limit):
        if focused(page) == target:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target!r}; focus is on {focused(page)!r}")


def editor_text(page) -> str:
    return page.evaluate("() => document.querySelector('.CodeMirror').CodeMirror.getValue()")


def replace_code_by_keyboard(page, code: str) -> None:
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(code)  # as a paste would; typing would fight the auto-indent


def no_sideways_scroll(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide at phone size"


def test_the_loop_with_the_keyboard_only(loop_site, page):
    log_in(page, loop_site, "kim")
    page.goto(f"{loop_site}/exercises/{EXERCISE}/")
    page.wait_for_selector(".CodeMirror")

    tab_to(page, "editor")
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    before = editor_text(page)
    page.keyboard.press("Tab")
    assert focused(page) == "editor" and editor_text(page).count("    ") > before.count("    ")  # Tab indents
    replace_code_by_keyboard(page, WRONG)

    # Esc then Tab leaves the editor, onto Run.
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    assert focused(page) == "run-button"
    page.keyboard.press("Enter")
    page.wait_for_selector("#trial-card[data-finished='1']", timeout=60_000)
    trial = page.locator("#trial-card").inner_text()
    assert "Wrong answer" in trial and "counts for nothing" in trial
    assert focused(page) == "trial-heading"
    shoot(page, "loop-1-run")

    # Submit from the keyboard: back to the editor, Ctrl+Enter.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert focused(page) == "editor"
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".verdict.wrong_answer")
    assert "Wrong answer" in page.locator("#result-heading").inner_text()
    shoot(page, "loop-2-wrong")

    tab_to(page, "back-to-exercise")
    page.keyboard.press("Enter")
    page.wait_for_selector("#hint-button")
    tab_to(page, "hint-button")
    page.keyboard.press("Enter")
    page.wait_for_selector("#hint-1")
    assert page.locator(".hint").count() == 1
    shoot(page, "loop-3-hint")

    page.wait_for_selector(".CodeMirror")
    tab_to(page, "editor")
    replace_code_by_keyboard(page, RIGHT)
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".verdict.accepted")
    shoot(page, "loop-4-accepted")

    tab_to(page, "explanation-link")
    page.keyboard.press("Enter")
    page.wait_for_selector("#reference-code")
    assert "sum(A[i][k] * B[k][j]" in page.locator("#learner-code").inner_text()
    shoot(page, "loop-5-explanation")


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    page.missing = missing
    yield page
    context.close()


def test_the_loop_at_phone_size_fits_the_screen(loop_site, phone):
    page = phone
    log_in(page, loop_site, "pat")
    for path, name in (
        ("/accounts/profile/", ""),
        ("/cohorts/", ""),
        ("/lesson/", "phone-lesson"),
        ("/", "phone-track"),
    ):
        page.goto(loop_site + path)
        no_sideways_scroll(page)
        if name:
            shoot(page, name)
    logout = page.get_by_role("button", name="Log out").bounding_box()
    assert logout["x"] + logout["width"] <= PHONE["width"]  # the whole navigation is on screen

    page.goto(f"{loop_site}/exercises/{EXERCISE}/")
    page.wait_for_selector(".CodeMirror")
    no_sideways_scroll(page)
    shoot(page, "phone-exercise")

    page.tap("#lesson-link")  # the statement links to the lesson section it practises
    page.wait_for_selector(f".practise a[href$='/exercises/{EXERCISE}/']")  # and the section links back
    no_sideways_scroll(page)
    shoot(page, "phone-lesson-section")
    page.go_back()
    page.wait_for_selector(".CodeMirror")

    page.evaluate("c => document.querySelector('.CodeMirror').CodeMirror.setValue(c)", WRONG)
    page.tap("#run-button")
    page.wait_for_selector("#trial-card[data-finished='1']", timeout=60_000)
    no_sideways_scroll(page)
    page.tap("#submit-button")
    page.wait_for_selector(".verdict.wrong_answer")
    no_sideways_scroll(page)
    shoot(page, "phone-result")

    page.tap("#back-to-exercise")
    page.tap("#hint-button")
    page.wait_for_selector("#hint-1")
    page.evaluate("c => document.querySelector('.CodeMirror').CodeMirror.setValue(c)", RIGHT)
    page.tap("#submit-button")
    page.wait_for_selector(".verdict.accepted")
    page.tap("#explanation-link")
    page.wait_for_selector("#reference-code")
    no_sideways_scroll(page)
    shoot(page, "phone-explanation")

    for path in (f"/submissions/history/{EXERCISE}/", f"/leaderboards/exercise/{EXERCISE}/"):
        page.goto(loop_site + path)
        no_sideways_scroll(page)

    page.goto(f"{loop_site}/no-such-page/")
    assert page.locator("header.top").count() == 1  # the site's layout, with its way back
    no_sideways_scroll(page)
    assert not [url for url in page.missing if url.endswith("favicon.ico")]


def test_a_refused_submission_keeps_the_draft_even_across_a_reload(loop_site, page):
    log_in(page, loop_site, "dee")
    page.goto(f"{loop_site}/exercises/{EXERCISE}/")
    page.wait_for_selector(".CodeMirror")
    draft = "def matmul(A, B):\n    # my half-done draft\n    return None\n"
    page.evaluate("c => document.querySelector('.CodeMirror').CodeMirror.setValue(c)", draft)
    page.reload()
    page.wait_for_selector(".CodeMirror")
    assert editor_text(page) == draft and page.locator("#draft-note").is_visible()

    huge = "x = 1\n" * 20_000  # over the size limit: refused
    page.evaluate("c => document.querySelector('.CodeMirror').CodeMirror.setValue(c)", huge)
    page.click("#submit-button")
    page.wait_for_selector(".messages .error")
    assert editor_text(page) == huge  # the refused code is still there to fix


def test_a_refused_run_says_why_and_keeps_the_code(loop_site, page, settings):
    settings.TRIAL_RATE_LIMIT = "0/60"  # every run refused
    log_in(page, loop_site, "ray")
    page.goto(f"{loop_site}/exercises/{EXERCISE}/")
    page.wait_for_selector(".CodeMirror")
    page.evaluate("c => document.querySelector('.CodeMirror').CodeMirror.setValue(c)", WRONG)
    page.click("#run-button")
    page.wait_for_selector("#trial-result .error-box")
    assert "Too many runs" in page.locator("#trial-result").inner_text()
    assert editor_text(page) == WRONG and page.locator("#run-button").is_enabled()


def test_the_other_pages_fit_a_phone_too(loop_site, phone):
    from django.utils import timezone

    from accounts.services import user_create
    from cohorts.services import cohort_create, cohort_join

    page = phone
    for path in ("/accounts/login/", "/accounts/signup/", f"/exercises/{EXERCISE}/", "/lesson/"):
        page.goto(loop_site + path)
        no_sideways_scroll(page)

    teacher = log_in(page, loop_site, "tess")
    teacher.profile.is_instructor = True
    teacher.profile.save()
    cohort = cohort_create(user=teacher, name="Evening class", starts_at=timezone.now() - timezone.timedelta(days=1))
    learner = user_create(username="a-learner-with-a-long-name", email="l@example.com", password="a-long-password-1")
    cohort_join(user=learner, code=cohort.join_code)
    page.goto(f"{loop_site}/cohorts/{cohort.id}/")
    page.wait_for_selector("table.grid")
    no_sideways_scroll(page)  # wide tables scroll inside their box, not the page
    shoot(page, "phone-cohort")
