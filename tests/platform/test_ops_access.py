"""Operator endpoints are not public: /metrics needs the token, always; /healthz detail is for staff."""

import pytest
from django.urls import reverse


@pytest.fixture
def broker_down(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"


def test_anonymous_healthz_says_only_whether_it_is_up(client, db, broker_down):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "degraded"}


def test_the_metrics_token_unlocks_the_healthz_detail(client, db, broker_down, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    response = client.get(reverse("healthz"), HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert response.json()["status"] == "degraded" and "checks" in response.json()
    assert "checks" not in client.get(reverse("healthz"), HTTP_AUTHORIZATION="Bearer wrong").json()


def test_a_learner_sees_no_healthz_detail(client, learner, broker_down):
    client.force_login(learner)
    assert client.get(reverse("healthz")).json() == {"status": "degraded"}


def test_metrics_without_a_configured_token_answer_no_one_not_even_loopback(client, db, settings):
    """A reverse proxy on the same host makes every client look local: the address proves nothing."""
    settings.METRICS_TOKEN = ""
    for address in ("203.0.113.9", "127.0.0.1", "::1"):
        response = client.get(reverse("metrics"), REMOTE_ADDR=address)
        assert response.status_code == 403 and b"METRICS_TOKEN" in response.content
    assert client.get(reverse("metrics"), REMOTE_ADDR="127.0.0.1", HTTP_AUTHORIZATION="Bearer ").status_code == 403


def test_metrics_with_a_token_need_it_even_from_loopback(client, db, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get(reverse("metrics"), REMOTE_ADDR="127.0.0.1").status_code == 401
    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer nope").status_code == 401
    ok = client.get(reverse("metrics"), REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert ok.status_code == 200 and b"tensordojo_submissions" in ok.content


def test_anonymous_polling_reuses_a_recent_check_and_operators_get_a_fresh_one(client, make_user, monkeypatch):
    from ops import views

    calls = []
    monkeypatch.setattr(views, "health_report", lambda: calls.append(1) or {"ok": True, "checks": {}})
    for _ in range(3):
        assert client.get(reverse("healthz")).json() == {"status": "ok"}
    assert len(calls) == 1

    staff = make_user("operator")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    client.get(reverse("healthz"))
    assert len(calls) == 2
