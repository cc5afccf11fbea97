"""The pages learners and instructors use, with learner-controlled text always escaped."""

import csv
import io

from django.urls import reverse

from cohorts.services import cohort_join
from grader.results import CaseResult, CaseStatus
from submissions.services import submission_create
from tests.platform.conftest import graded, grading_result

NASTY = "</textarea><script>alert(1)</script>"


def test_signup_logs_the_learner_in(client, catalogue):
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "newbie",
            "email": "n@example.com",
            "password1": "correct-horse-9",
            "password2": "correct-horse-9",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_password_reset_sends_a_link_by_email(client, learner, mailoutbox):
    client.post(reverse("accounts:password_reset"), {"email": learner.email})
    assert len(mailoutbox) == 1 and "/accounts/reset/" in mailoutbox[0].body


def test_the_exercise_page_shows_the_statement_and_the_starter(client, catalogue):
    page = client.get(reverse("catalog:exercise_detail", args=["sandbox-probe"])).content.decode()
    assert "returns" in page and "raise NotImplementedError" in page


def test_the_editor_holds_the_last_submission_escaped(client, learner, catalogue, sent_tasks):
    submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=f"# {NASTY}\n")
    client.force_login(learner)
    page = client.get(reverse("catalog:exercise_detail", args=["sandbox-probe"])).content.decode()
    assert NASTY not in page and "&lt;/textarea&gt;&lt;script&gt;" in page


def test_submitting_redirects_to_the_live_result_page(client, learner, catalogue, sent_tasks):
    client.force_login(learner)
    response = client.post(reverse("submissions:submit", args=["sandbox-probe"]), {"source": "def solve(x): return x"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "queued" in page and "status.json" in page


def test_a_rejected_submission_explains_why(client, learner, catalogue, settings):
    settings.SUBMISSION_MAX_BYTES = 10
    client.force_login(learner)
    response = client.post(reverse("submissions:submit", args=["sandbox-probe"]), {"source": "x" * 100}, follow=True)
    assert "the limit is 0 KiB" in response.content.decode()


def test_a_paste_too_large_to_read_gets_a_message_on_the_exercise_page_not_a_bare_400(learner, catalogue):
    """50 MB pasted into the editor: past Django's body limit, which the CSRF check would hit first."""
    from django.test import Client

    from submissions.models import Submission

    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    page = reverse("catalog:exercise_detail", args=["sandbox-probe"])
    huge = "x" * (50 * 1024 * 1024)

    response = client.post(reverse("submissions:submit", args=["sandbox-probe"]), {"source": huge}, HTTP_REFERER=page)
    assert response.status_code == 302 and response["Location"] == page
    shown = client.get(page).content.decode()
    assert "52.4 MB, too large to read: code may be at most 64 KiB. Nothing was submitted." in shown

    ran = client.post(reverse("trials:run", args=["sandbox-probe"]), {"source": huge}, HTTP_ACCEPT="application/json")
    assert ran.status_code == 413 and "too large to read" in ran.json()["error"]
    assert not Submission.objects.exists()


def test_a_paste_too_large_refused_by_the_api_in_its_own_error_shape(client, learner, catalogue):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=learner)
    body = '{"exercise": "sandbox-probe", "source": "' + "x" * (3 * 1024 * 1024) + '"}'
    response = client.post(
        "/api/submissions", body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert response.status_code == 413 and "too large to read" in response.json()["detail"]


def test_display_names_are_escaped_on_leaderboards(client, make_user, catalogue, sent_tasks):
    user = make_user("x", display_name="<img src=x onerror=alert(1)>")
    graded(submission_create(user=user, exercise=catalogue["sandbox-probe"], source="def solve(x): return x"), score=3)
    page = client.get(reverse("leaderboards:exercise", args=["sandbox-probe"])).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x" in page


def test_printed_output_and_feedback_are_escaped(client, learner, catalogue, sent_tasks):
    submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source="def solve(x): return x")
    from submissions.services import submission_finish, submission_start

    claim = submission_start(submission_id=submission.id, worker="t")
    submission_finish(
        submission_id=submission.id,
        attempt=claim.attempt,
        result=grading_result(
            verdict="wrong_answer",
            score=0,
            message=NASTY,
            output=NASTY,
            cases=[
                CaseResult(name=NASTY, visible=True, status=CaseStatus.FAILED, score=0, max_score=10, message=NASTY)
            ],
            leaderboard=[],
        ),
    )
    client.force_login(learner)
    page = client.get(reverse("submissions:detail", args=[submission.id])).content.decode()
    assert "<script>alert(1)</script>" not in page


def test_the_history_shows_a_diff_between_attempts(client, learner, catalogue, sent_tasks):
    exercise = catalogue["sandbox-probe"]
    submission_create(user=learner, exercise=exercise, source="def solve(x):\n    return x\n")
    second = submission_create(user=learner, exercise=exercise, source="def solve(x):\n    return x * 2\n")
    client.force_login(learner)
    page = client.get(reverse("submissions:detail", args=[second.id])).content.decode()
    assert "+    return x * 2" in page and "-    return x" in page


def test_the_instructor_dashboard_and_csv_export(client, instructor, make_user, cohort, catalogue, sent_tasks):
    learner = make_user("=cmd|' /C calc'!A0")
    cohort_join(user=learner, code=cohort.join_code)
    graded(
        submission_create(user=learner, exercise=catalogue["sandbox-probe"], source="def solve(x): return x"), score=7
    )
    client.force_login(instructor)

    page = client.get(reverse("cohorts:detail", args=[cohort.id])).content.decode()
    rows = list(csv.reader(io.StringIO(client.get(reverse("cohorts:export", args=[cohort.id])).content.decode())))

    assert "Progress" in page and "7.0" in page
    assert rows[0][:2] == ["username", "display name"] and "Sandbox probe" in rows[0]
    assert rows[1][0].startswith("'=")  # a spreadsheet formula is neutralised
    assert rows[1][rows[0].index("Sandbox probe")] == "7"


def test_joining_with_a_code(client, learner, cohort):
    client.force_login(learner)
    response = client.post(reverse("cohorts:join"), {"code": cohort.join_code.lower()}, follow=True)
    assert cohort.name in response.content.decode()


def test_instructors_can_set_deadlines_and_regrade(client, instructor, cohort, catalogue, sent_tasks):
    client.force_login(instructor)
    client.post(
        reverse("cohorts:deadline", args=[cohort.id]), {"exercise": "sandbox-probe", "deadline": "2030-01-01T12:00"}
    )
    assert cohort.cohort_exercises.get(exercise__slug="sandbox-probe").deadline.year == 2030
    response = client.post(reverse("cohorts:regrade", args=[cohort.id, "sandbox-probe"]), follow=True)
    assert "queued for re-grading" in response.content.decode()


def test_a_performance_result_shows_the_time_and_the_rank(client, learner, catalogue, sent_tasks):
    submission = submission_create(user=learner, exercise=catalogue["timing-probe"], source="def fast(x): return x")
    graded(submission, score=10, time_value=0.0042)
    client.force_login(learner)
    page = client.get(reverse("submissions:detail", args=[submission.id])).content.decode()
    assert "4.200 ms" in page and "best rank <strong>#1</strong>" in page


def finish_with(submission, *, verdict: str, message: str):
    from submissions.services import submission_finish, submission_start

    claim = submission_start(submission_id=submission.id, worker="t")
    result = grading_result(verdict=verdict, score=0, message=message, leaderboard=[])
    submission_finish(submission_id=submission.id, attempt=claim.attempt, result=result)


def test_a_syntax_error_result_shows_the_message_and_no_empty_table(client, learner, catalogue, sent_tasks):
    submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source="def solve(x)\n")
    finish_with(submission, verdict="syntax_error", message="Syntax error on line 1: expected ':'")
    client.force_login(learner)
    page = client.get(reverse("submissions:detail", args=[submission.id])).content.decode()
    assert "Syntax error on line 1" in page and 'class="cases"' not in page


def test_a_forbidden_construct_is_listed_once(client, learner, catalogue, sent_tasks):
    submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source="x = 1\n")
    item = "line 2: list comprehension (a loop) is not allowed"
    finish_with(submission, verdict="forbidden_call", message=f"Forbidden in this exercise — {item}; {item}")
    client.force_login(learner)
    page = client.get(reverse("submissions:detail", args=[submission.id])).content.decode()
    assert page.count("list comprehension") == 1 and 'class="cases"' not in page


def test_verdicts_are_shown_in_words(client, learner, catalogue, sent_tasks):
    submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source="def solve(x): return x")
    graded(submission, score=0, verdict="wrong_answer")
    client.force_login(learner)
    result = client.get(reverse("submissions:detail", args=[submission.id])).content.decode()
    exercise = client.get(reverse("catalog:exercise_detail", args=["sandbox-probe"])).content.decode()
    for page in (result, exercise):
        assert "Wrong answer" in page and ">wrong_answer<" not in page


def test_the_exercise_page_says_how_to_leave_the_editor_and_submit_by_keyboard(client, learner, catalogue):
    client.force_login(learner)
    page = client.get(reverse("catalog:exercise_detail", args=["sandbox-probe"])).content.decode()
    assert "<kbd>Esc</kbd> then <kbd>Tab</kbd>" in page and "<kbd>Ctrl</kbd>+<kbd>Enter</kbd>" in page
    # The Run and Submit buttons come straight after the editor in the tab order.
    assert page.index('id="source"') < page.index('id="run-button"') < page.index('id="submit-button"')


def test_the_404_page_has_the_site_layout_and_a_way_back(client, catalogue, settings):
    settings.DEBUG = False
    response = client.get("/exercises/no-such-exercise/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'class="top"' in page and "Page not found" in page and 'href="/"' in page


def test_the_403_page_has_the_site_layout_and_a_way_back(client, learner, make_user, catalogue, sent_tasks):
    submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source="def solve(x): return x")
    client.force_login(make_user("eve"))
    response = client.get(reverse("submissions:detail", args=[submission.id]))
    page = response.content.decode()
    assert response.status_code == 403
    assert 'class="top"' in page and "You cannot see this page" in page and "Back to the exercises" in page


def test_the_favicon_exists(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")


def test_a_statement_table_without_header_has_no_empty_header_row():
    from catalog.rendering import render_statement

    html = render_statement("| | |\n|---|---|\n| a | b |\n")
    assert "<thead>" not in html and "<td>a</td>" in html


def test_the_profile_help_text_names_the_learners_own_pseudonym(client, learner):
    client.force_login(learner)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert f"learner-{learner.id}" in page and "learner-." not in page


def test_the_rules_show_tolerances_as_the_statement_writes_them(client, learner, catalogue):
    client.force_login(learner)
    page = client.get("/exercises/sandbox-probe/").content.decode()
    assert "atol=1e-8" in page and "0.00000001" not in page
