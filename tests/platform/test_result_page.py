"""The result page a learner reads after Submit (issue 23 items 2, 4, 5): the mistake once, at
the top, with the hint that speaks to it; a compact table of cases; the way back and on at hand."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from leaderboards.services import best_result_update
from submissions.models import Submission, SubmissionDiagnosis
from submissions.services import submission_create
from tests.platform.test_hints import taught  # noqa: F401 (a fixture)

MISTAKE = "This multiplies matching entries; a matrix product sums over the shared axis."


def finished(user, exercise, *, verdict="wrong_answer", score=0.0, cases=12, diagnosis="elementwise-product"):
    """A submission as a worker leaves it: a result with one case per line, the mistake named on each."""
    submission = submission_create(user=user, exercise=exercise, source="def solve(x): return x")
    tests = [
        {
            "name": f"case {n}",
            "visibility": "visible" if n < 3 else "hidden",
            "status": "passed" if verdict == "accepted" else "failed",
            "case_status": "passed" if verdict == "accepted" else "failed",
            "score": 10.0 / cases if verdict == "accepted" else 0.0,
            "max_score": 10.0 / cases,
            "output": "" if verdict == "accepted" else f"Values differ at 4 of 4 positions.\nLikely mistake: {MISTAKE}",
            "diagnosis": None if verdict == "accepted" else diagnosis,
            "diagnosis_message": "" if verdict == "accepted" else MISTAKE,
        }
        for n in range(1, cases + 1)
    ]
    summary = (
        "All cases pass."
        if verdict == "accepted"
        else f"0 of {cases} cases pass; first failure: case 1 (case 1): values differ. Likely mistake: {MISTAKE}"
    )
    result = {"verdict": verdict, "score": score, "max_score": 10.0, "tests": tests, "output": summary}
    Submission.objects.filter(pk=submission.pk).update(
        status=Submission.GRADED, verdict=verdict, score=score, max_score=10.0, result=result, graded_at=timezone.now()
    )
    submission.refresh_from_db()
    best_result_update(submission=submission)  # as the worker does in the same transaction
    if verdict != "accepted":
        SubmissionDiagnosis.objects.create(submission=submission, diagnosis=diagnosis, message=MISTAKE)
    submission.refresh_from_db()
    return submission


@pytest.fixture
def page(client, learner, taught, sent_tasks):  # noqa: F811
    client.force_login(learner)

    def read(submission) -> str:
        return client.get(reverse("submissions:detail", args=[submission.id])).content.decode()

    return read


def test_the_likely_mistake_is_said_once_at_the_top_not_once_per_case(page, learner, taught):  # noqa: F811
    html = page(finished(learner, taught))
    assert html.count(MISTAKE) == 1
    assert html.index(MISTAKE) < html.index('class="cases')
    assert html.count("0 of 12 cases pass") <= 2  # the score line and the grader's summary, not a third time


def test_the_heading_shows_the_verdict_not_a_green_graded_badge(page, learner, taught):  # noqa: F811
    html = page(finished(learner, taught))
    heading = html[html.index("<h1") : html.index("</h1>")]
    assert "Wrong answer" in heading and "Graded" not in heading


def test_the_summary_keeps_its_sentences_apart(page, learner, taught):  # noqa: F811
    html = page(finished(learner, taught))
    assert "values differ. Likely mistake" not in html


def test_the_way_back_comes_before_the_cases(page, learner, taught):  # noqa: F811
    html = page(finished(learner, taught))
    back = html.index('id="back-to-exercise"')
    assert back < html.index('class="cases')
    assert html.index('id="mistake-hint-link"') < html.index('class="cases')


def test_the_mistake_links_to_the_hint_that_speaks_to_it(client, page, learner, taught):  # noqa: F811
    """Issue 23 item 4: the exercise names, per diagnosis, the hint about it (config["mistake_hints"])."""
    version = taught.current_version
    version.config = {**version.config, "mistake_hints": {"elementwise-product": 1}}
    version.save(update_fields=["config"])
    finished(learner, taught)

    detail = client.get(reverse("catalog:exercise_detail", args=[taught.slug])).content.decode()
    assert "Show the hint about this mistake" in detail
    response = client.post(reverse("catalog:hint_next", args=[taught.slug]))
    assert response["Location"].endswith("#hint-2")
    detail = client.get(reverse("catalog:exercise_detail", args=[taught.slug])).content.decode()
    assert "Multiply by" in detail and "Double one number first" not in detail
    # The other hint is still there to open, and is numbered as the exercise numbers it.
    assert "Show hint 1 of 2" in detail and 'id="hint-2"' in detail


def test_without_a_named_hint_hints_open_in_order(client, page, learner, taught):  # noqa: F811
    finished(learner, taught)
    response = client.post(reverse("catalog:hint_next", args=[taught.slug]))
    assert response["Location"].endswith("#hint-1")


def test_an_accepted_result_leads_on_to_the_next_exercise_of_the_track(page, learner, taught):  # noqa: F811
    """Issue 23 item 5: not only back: on, with the track's progress."""
    from catalog.models import Exercise

    following = Exercise.objects.filter(track=taught.track, order__gt=taught.order).order_by("order").first()
    assert following is not None, "the fixture track has a second exercise"
    html = page(finished(learner, taught, verdict="accepted", score=10.0))
    assert f'href="{reverse("catalog:exercise_detail", args=[following.slug])}"' in html
    assert 'id="next-exercise"' in html and "1 of 2 solved" in html  # solved 1 of the track's exercises


def test_the_explanation_leads_on_and_says_its_title_once(client, page, learner, taught):  # noqa: F811
    """Issue 23 items 5 and 9: a way on from the explanation; one title; one name for the grader's code."""
    version = taught.current_version
    version.explanation_html = "<h1>Doubling, explained</h1><p>The idea.</p>"
    version.save(update_fields=["explanation_html"])
    finished(learner, taught, verdict="accepted", score=10.0)
    html = client.get(reverse("catalog:explanation", args=[taught.slug])).content.decode()
    assert html.count("<h1") == 1 and "Doubling, explained" in html
    assert 'id="next-exercise"' in html and reverse("catalog:exercise_detail", args=["timing-probe"]) in html
    assert "Reference solution" not in html and "The grader's reference" in html
