"""Operator endpoints: /healthz says what is down (503), /metrics speaks Prometheus."""

import pytest
from django.urls import reverse

CODE = "def solve(x):\n    return x\n"


def test_healthz_is_503_and_names_the_broken_service(client, make_user, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    staff = make_user("operator")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    response = client.get(reverse("healthz"))
    body = response.json()
    assert response.status_code == 503
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["redis"]["ok"] is False and body["checks"]["workers"]["ok"] is False


@pytest.fixture(autouse=True)
def metrics_token(settings):
    settings.METRICS_TOKEN = "ops-test-token"


def _metrics(client) -> str:
    return client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer ops-test-token").content.decode()


def test_metrics_show_submissions_by_status_and_gradings_of_the_last_hour(client, learner, catalogue, sent_tasks):
    from submissions.services import submission_create
    from tests.platform.conftest import graded

    graded(submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE), score=10)
    text = _metrics(client)

    assert 'tensordojo_submissions{status="graded"} 1.0' in text
    assert 'tensordojo_gradings_last_hour{verdict="accepted"} 1.0' in text
    assert "_total" not in text  # no counter is made from a database count


def test_a_regrade_never_makes_the_latency_histogram_go_down(client, learner, catalogue, sent_tasks):
    from submissions.services import submission_create, submissions_regrade
    from tests.platform.conftest import graded

    submission = graded(submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE), score=10)
    before = _sample(_metrics(client), "tensordojo_grading_latency_seconds_count")
    submissions_regrade(exercise=catalogue["sandbox-probe"])
    during = _sample(_metrics(client), "tensordojo_grading_latency_seconds_count")
    graded(submission, score=3, verdict="wrong_answer")
    after = _sample(_metrics(client), "tensordojo_grading_latency_seconds_count")

    assert (before, during, after) == (1.0, 1.0, 2.0)


def test_latency_buckets_hold_the_recorded_durations(client, learner, catalogue, sent_tasks):
    from django.utils import timezone

    from submissions.models import Grading
    from submissions.services import submission_create
    from tests.platform.conftest import graded

    submission = graded(submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE), score=10)
    finished = timezone.now()
    Grading.objects.filter(submission=submission).update(
        queued_at=finished - timezone.timedelta(seconds=7), finished_at=finished
    )
    text = _metrics(client)

    assert _sample(text, 'tensordojo_grading_latency_seconds_bucket{le="5.0"}') == 0.0
    assert _sample(text, 'tensordojo_grading_latency_seconds_bucket{le="10.0"}') == 1.0
    assert _sample(text, 'tensordojo_grading_latency_seconds_bucket{le="+Inf"}') == 1.0
    assert abs(_sample(text, "tensordojo_grading_latency_seconds_sum") - 7.0) < 0.01


def _sample(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} not in the metrics")


def test_logs_are_json_with_the_submission_id(caplog):
    import json
    import logging

    from ops.logging import ContextFilter, JsonFormatter, submission_context

    record = logging.LogRecord("t", logging.INFO, __file__, 1, "graded", None, None)
    with submission_context("abc-123"):
        ContextFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["submission_id"] == "abc-123" and line["msg"] == "graded"
