"""Operator endpoints: /healthz says what is down (503), /metrics speaks Prometheus."""

from django.urls import reverse


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


def test_metrics_expose_queue_depth_and_verdicts(client, learner, catalogue, sent_tasks):
    from submissions.services import submission_create
    from tests.platform.conftest import graded

    graded(
        submission_create(user=learner, exercise=catalogue["sandbox-probe"], source="def solve(x): return x"), score=10
    )
    text = client.get(reverse("metrics")).content.decode()
    assert 'tensordojo_verdicts_total{verdict="accepted"} 1.0' in text
    assert 'tensordojo_submissions{status="graded"} 1.0' in text
    assert "tensordojo_grading_latency_seconds_count 1.0" in text


def test_logs_are_json_with_the_submission_id(caplog):
    import json
    import logging

    from ops.logging import ContextFilter, JsonFormatter, submission_context

    record = logging.LogRecord("t", logging.INFO, __file__, 1, "graded", None, None)
    with submission_context("abc-123"):
        ContextFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["submission_id"] == "abc-123" and line["msg"] == "graded"
