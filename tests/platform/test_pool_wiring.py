"""The worker builds its warm pool in each prefork child and grades through it (submissions.worker)."""

from __future__ import annotations

from grader.limits import Limits
from submissions import worker
from tests.grader.test_pool import FakeBackend


def test_a_docker_worker_process_grades_through_its_own_pool(settings, monkeypatch):
    settings.GRADER_BACKEND, settings.SANDBOX_POOL = "docker", "stdlib=1,numpy=0"
    fresh = FakeBackend()
    monkeypatch.setattr(worker, "sandbox_backend", lambda: fresh)  # built in the child, after the fork
    pool = worker.start_pool()
    try:
        assert pool is not None and pool.backend is fresh and pool.sizes == {"stdlib": 1}
        assert worker.worker_backend() is pool
    finally:
        worker.stop_pool()
    assert worker.worker_backend() is fresh, "after shutdown gradings take the cold path"


def test_no_pool_without_docker_or_without_sizes(settings):
    settings.GRADER_BACKEND, settings.SANDBOX_POOL = "process", "stdlib=1"
    assert worker.start_pool() is None
    settings.GRADER_BACKEND, settings.SANDBOX_POOL = "docker", ""
    assert worker.start_pool() is None


def test_stopping_the_pool_destroys_the_waiting_sandboxes(settings, monkeypatch):
    settings.GRADER_BACKEND, settings.SANDBOX_POOL = "docker", "numpy=1"
    fresh = FakeBackend()
    monkeypatch.setattr(worker, "sandbox_backend", lambda: fresh)
    pool = worker.start_pool()
    pool.create(Limits(), kind="numpy").destroy()  # a first grading: the pool learns its limits
    pool.fill_once()
    worker.stop_pool()
    assert fresh.made and all(s.destroyed for s in fresh.made)
