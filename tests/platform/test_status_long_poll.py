"""A page waiting for its verdict is answered when the worker announces it, not on a timer."""

from __future__ import annotations

import threading
import time

import pytest
from django.urls import reverse

from submissions import notify
from submissions.models import Submission
from submissions.services import submission_create, submission_finish, submission_start
from tests.platform.conftest import grading_result

CODE = "def solve(x):\n    return x * 2\n"


@pytest.fixture
def broker(settings, redis_url):
    settings.CELERY_BROKER_URL = redis_url
    return redis_url


def _later(seconds: float, action) -> threading.Thread:
    thread = threading.Thread(target=lambda: (time.sleep(seconds), action()), daemon=True)
    thread.start()
    return thread


@pytest.mark.redis
def test_a_wait_ends_as_soon_as_the_submission_is_announced(broker):
    finished = threading.Event()
    _later(0.3, lambda: (finished.set(), notify.announce("s-1")))

    started = time.monotonic()
    assert notify.wait_finished("s-1", finished.is_set, timeout=10) is True
    assert time.monotonic() - started < 3  # woken by the message, not by the timeout


@pytest.mark.redis
def test_a_wait_without_an_announcement_ends_at_its_timeout_unfinished(broker):
    started = time.monotonic()
    assert notify.wait_finished("s-2", lambda: False, timeout=0.3) is False
    assert 0.25 < time.monotonic() - started < 3


@pytest.mark.redis
def test_an_announcement_lost_before_subscribing_is_covered_by_reading_the_state(broker):
    notify.announce("s-3")  # nobody listens yet: pub/sub drops it
    assert notify.wait_finished("s-3", lambda: True, timeout=10) is True


def test_when_every_waiting_slot_is_taken_the_request_answers_at_once(monkeypatch):
    monkeypatch.setattr(notify, "_slots", threading.BoundedSemaphore(1))
    notify._slots.acquire()  # another request is waiting
    started = time.monotonic()
    assert notify.wait_finished("s-4", lambda: False, timeout=10) is False
    assert time.monotonic() - started < 1


@pytest.mark.parametrize("wait", ["abc", "nan", "inf", "-5", "0", ""])
def test_a_malformed_wait_is_no_wait(client, learner, catalogue, sent_tasks, wait):
    submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)
    client.force_login(learner)
    started = time.monotonic()
    answer = client.get(reverse("submissions:status", args=[submission.id]), {"wait": wait})
    assert answer.status_code == 200 and answer.json()["status"] == "queued"
    assert time.monotonic() - started < 2


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_status_endpoint_answers_when_the_verdict_is_committed(client, broker, learner, catalogue, sent_tasks):
    submission = submission_create(user=learner, exercise=catalogue["sandbox-probe"], source=CODE)
    claim = submission_start(submission_id=submission.id, worker="w1")
    _later(
        0.5,
        lambda: submission_finish(submission_id=submission.id, attempt=claim.attempt, result=grading_result(score=1)),
    )
    client.force_login(learner)

    started = time.monotonic()
    answer = client.get(reverse("submissions:status", args=[submission.id]), {"wait": "20"})

    assert answer.json()["status"] == Submission.GRADED and answer.json()["finished"] is True
    assert time.monotonic() - started < 5
