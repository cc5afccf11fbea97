"""The timed stocks are refilled on the maintenance queue: after a grading, by beat and at a worker's start."""

from __future__ import annotations

import pytest

from catalog.services import version_folder
from grader.timed_stock import TimedStock
from submissions.dispatch import TIMED_STOCK_REFILL_TASK
from submissions.services import LANE, submission_create
from submissions.tasks import refill_published_timed_stocks, refill_timed_stock
from submissions.worker import run

HONEST = "def fast(x):\n    return x + 1.0\n"


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A private reference cache, and the unsafe local backend so these tests need no Docker."""
    import grader.grading
    from grader.reference import ExpectedStore

    store = ExpectedStore(tmp_path / "cache")
    monkeypatch.setattr(grader.grading, "_default_store", store)
    return store


@pytest.fixture
def backend(settings):
    from grader.backends import get_backend

    settings.GRADER_BACKEND = "process"
    return get_backend("process")


@pytest.fixture
def sent_refills(monkeypatch):
    """Refill tasks sent to the broker, as (version id, queue): recorded, not sent."""
    from config.celery import app

    sent = []

    def record(name, args=None, kwargs=None, **options):
        if name == TIMED_STOCK_REFILL_TASK:
            sent.append((args[0], options.get("queue")))

    monkeypatch.setattr(app, "send_task", record)
    return sent


def stock_of(exercise, store, backend) -> TimedStock:
    return TimedStock(store, version_folder(exercise.current_version), backend)


def test_the_refill_task_fills_the_stock_to_the_setting(catalogue, store, backend, settings):
    settings.TIMED_STOCK_SIZE = 3
    version = catalogue["timing-probe"].current_version

    assert refill_timed_stock(version.id) == 3
    assert refill_timed_stock(version.id) == 0  # safe to run twice
    assert len(stock_of(catalogue["timing-probe"], store, backend)) == 3


def test_refilling_the_published_version_deletes_its_superseded_versions_stocks(catalogue, store, backend, settings):
    settings.TIMED_STOCK_SIZE = 1
    exercise = catalogue["timing-probe"]
    stock = stock_of(exercise, store, backend)
    superseded = stock.directory.parent / f"timing-probe-0123456789abcdef-{backend.image_id()}"
    superseded.mkdir(parents=True)
    (superseded / "x.draw").write_bytes(b"draw")

    refill_timed_stock(exercise.current_version_id)

    assert not superseded.exists() and len(stock) == 1


def test_no_stock_is_kept_when_the_setting_is_zero(catalogue, store, backend, settings):
    settings.TIMED_STOCK_SIZE = 0

    assert refill_timed_stock(catalogue["timing-probe"].current_version.id) == 0
    assert len(stock_of(catalogue["timing-probe"], store, backend)) == 0


def test_a_grading_that_took_a_draw_sends_a_refill_to_the_maintenance_queue(
    learner, catalogue, store, backend, settings, sent_refills
):
    settings.TIMED_STOCK_SIZE = 2
    exercise = catalogue["timing-probe"]
    stock = stock_of(exercise, store, backend)
    stock.fill(2)
    submission = submission_create(user=learner, exercise=exercise, source=HONEST)

    assert run(LANE, job_id=submission.id, worker="w", backend=backend) == "graded"

    assert len(stock) == 1
    assert sent_refills == [(exercise.current_version_id, "maintenance")]


def test_a_grading_that_leaves_the_stock_at_its_size_sends_nothing(
    learner, catalogue, store, backend, settings, sent_refills
):
    settings.TIMED_STOCK_SIZE = 1
    exercise = catalogue["timing-probe"]
    stock = stock_of(exercise, store, backend)
    stock.fill(2)
    submission = submission_create(user=learner, exercise=exercise, source=HONEST)

    assert run(LANE, job_id=submission.id, worker="w", backend=backend) == "graded"
    assert len(stock) == 1 and sent_refills == []


def test_an_exercise_without_timed_cases_is_never_refilled(learner, catalogue, store, backend, settings, sent_refills):
    settings.TIMED_STOCK_SIZE = 2
    exercise = catalogue["sandbox-probe"]
    assert refill_timed_stock(exercise.current_version_id) == 0  # marks it: nothing to stock
    submission = submission_create(user=learner, exercise=exercise, source="def solve(x):\n    return x * 2\n")

    assert run(LANE, job_id=submission.id, worker="w", backend=backend) == "graded"
    assert sent_refills == []


def test_beat_sends_a_refill_for_every_published_cpu_exercise_with_timed_cases(catalogue, settings, sent_refills):
    settings.TIMED_STOCK_SIZE = 8

    assert refill_published_timed_stocks() == 1
    assert sent_refills == [(catalogue["timing-probe"].current_version_id, "maintenance")]


def test_a_worker_start_sends_the_refills_once(catalogue, settings, sent_refills):
    from submissions.recovery import resend_after_worker_start

    settings.TIMED_STOCK_SIZE = 8
    resend_after_worker_start()
    resend_after_worker_start()  # a second worker starting at the same time

    assert sent_refills == [(catalogue["timing-probe"].current_version_id, "maintenance")]
