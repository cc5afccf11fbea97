"""Fixture plugin: real Redis, real Celery worker processes, real Docker (pipeline and browser tests)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import FIXTURE_EXERCISES, IN_CI, ROOT, require
from tests.support.processes import WaitTimedOut, free_port, wait_until, worker_argv  # noqa: F401 - free_port: for the tests

# Fixtures that need a slow or external capability, and the marker `make check` deselects them by.
SLOW_FIXTURES = {"docker_backend": "docker", "docker_client": "docker", "pipeline": "redis", "browser": "browser"}


def pytest_collection_modifyitems(config, items) -> None:
    """Mark every test by the slow fixtures it uses, so `-m "not docker and not redis ..."` is exact."""
    for item in items:
        for fixture, marker in SLOW_FIXTURES.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(marker)


def learner():
    """A fresh learner (unique name) for one pipeline test."""
    from accounts.services import user_create

    return user_create(username=f"l{time.monotonic_ns()}", email="l@example.com", password="a-long-password-1")


def submit(user, source: str, count: int = 1, slug: str = "sandbox-probe") -> list:
    """Submit ``source`` ``count`` times through the real service (the tasks go to the broker)."""
    from catalog.models import Exercise
    from submissions.services import submission_create

    exercise = Exercise.objects.get(slug=slug)
    return [submission_create(user=user, exercise=exercise, source=source) for _ in range(count)]


def finished(ids, total: int | None = None) -> bool:
    return finished_count(ids) == (total or len(ids))


def finished_count(ids) -> int:
    from submissions.models import Submission

    return Submission.objects.filter(id__in=ids, status__in=[Submission.GRADED, Submission.ERROR]).count()


def wait_while_progressing(ids, *, stall_s: float, between=None, interval: float = 1.0) -> None:
    """Wait until every submission of ``ids`` is finished, failing only when none has finished for
    ``stall_s`` seconds: how fast a busy machine grades is not what such a test is about, that the
    pipeline never stops is. ``between``: called on each round (e.g. the sweep beat would run)."""
    done, last_progress = -1, time.monotonic()
    while True:
        now_done = finished_count(ids)
        if now_done == len(ids):
            return
        if now_done > done:
            done, last_progress = now_done, time.monotonic()
        elif time.monotonic() - last_progress > stall_s:
            raise WaitTimedOut(f"{len(ids) - done} of {len(ids)} submissions unfinished, none for {stall_s:.0f} s")
        if between is not None:
            between()
        time.sleep(interval)


def assert_each_graded_once(ids) -> None:
    """None lost, all graded, none graded twice (each finished grading leaves one Grading row)."""
    from django.db.models import Count

    from submissions.models import Submission

    rows = list(Submission.objects.filter(id__in=ids).annotate(finished_gradings=Count("gradings")))
    assert len(rows) == len(ids), "a submission was lost"
    assert all(r.status == Submission.GRADED for r in rows), {r.status for r in rows}
    assert all(r.finished_gradings == 1 for r in rows), "a submission was graded twice"


class RedisServer:
    """A private redis-server on a free loopback port that a test may restart."""

    def __init__(self, directory: Path):
        self.port = free_port()
        self.directory = directory
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        wait_until(lambda: _ping(redis, self.url), 10, what="redis to start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def restart(self) -> None:
        self.stop()
        self.start()


def _ping(redis, url) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


def database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Workers:
    """Celery worker processes for one test, killed at its end."""

    def __init__(self, redis: RedisServer, logs: Path, cache: Path, backend: str, media: Path):
        self.redis, self.logs, self.cache, self.backend, self.media = redis, logs, cache, backend, media
        self.processes: list[subprocess.Popen] = []

    def start(self, concurrency: int = 2, **env_overrides) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "TENSORDOJO_ENV": "test",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": self.redis.url,
            "REDIS_URL": self.redis.url,
            "TENSORDOJO_EXERCISES_DIR": str(FIXTURE_EXERCISES),
            "TENSORDOJO_CACHE_DIR": str(self.cache),
            "TENSORDOJO_MEDIA_DIR": str(self.media),  # the stored exercise versions the test process wrote
            "GRADER_BACKEND": self.backend,
            "GRADING_HEARTBEAT": "1",
            "GRADING_HEARTBEAT_STALE": "4",
            "GRADING_MAX_RETRIES": "2",
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}",
            **env_overrides,
        }
        log = open(self.logs / f"worker-{len(self.processes)}.log", "w")
        process = subprocess.Popen(
            worker_argv("test", concurrency),
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            start_new_session=True,
        )
        self.processes.append(process)
        log_path = self.logs / f"worker-{len(self.processes) - 1}.log"

        def ready():
            if process.poll() is not None:
                raise AssertionError(f"the worker exited: {log_path.read_text()[-2000:]}")
            return "ready." in log_path.read_text()

        wait_until(ready, 60, what="the worker to be ready")
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL a worker and its pool: no shutdown, no acknowledgement, as a crash."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def log_text(self) -> str:
        return "\n".join(path.read_text() for path in sorted(self.logs.glob("worker-*.log")))

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)


def _point_celery_at(app, url: str) -> None:
    """Send this process's tasks to another broker (pools are rebuilt lazily).

    Celery reads $CELERY_BROKER_URL before its own setting, so both are changed.
    """
    os.environ["CELERY_BROKER_URL"] = url
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture(scope="session")
def pipeline_backend() -> str:
    """The sandbox the pipeline's workers grade in: Docker when its engine and image are there.

    Without them (never under CI=true) the workers use the unsafe process backend, so the
    pipeline's own logic (claims, heartbeats, retries, recovery) is still exercised locally.
    """
    from grader.backends.docker_backend import DockerBackend

    status = DockerBackend().check()
    if status["ok"]:
        return "docker"
    if IN_CI:
        pytest.fail(f"Docker sandbox unavailable: {status.get('error', status)} — required when CI=true")
    return "process"


@pytest.fixture
def pipeline(transactional_db, pipeline_backend, tmp_path, settings):
    require(shutil.which("redis-server") is not None, "redis-server is not installed")
    from config.celery import app

    redis = RedisServer(tmp_path)
    redis.start()
    previous = os.environ.get("CELERY_BROKER_URL") or app.conf.broker_url
    _point_celery_at(app, redis.url)
    settings.CELERY_BROKER_URL = redis.url
    settings.EXERCISES_DIR = FIXTURE_EXERCISES
    settings.SUBMISSION_RATE_LIMIT = "100000/60"
    settings.GRADING_HEARTBEAT_STALE = 4
    from catalog.services import exercises_sync

    exercises_sync(root=FIXTURE_EXERCISES, publish_unproven=True)
    workers = Workers(redis, tmp_path, tmp_path / "cache", pipeline_backend, Path(settings.MEDIA_ROOT))
    try:
        yield workers
    finally:
        workers.stop_all()
        redis.stop()
        _point_celery_at(app, previous)
        from submissions.tasks import sweep

        sweep()  # remove sandbox containers of the workers we killed
        for log in sorted(tmp_path.glob("worker-*.log")):
            print(f"--- {log.name} (tail) ---\n" + "\n".join(log.read_text().splitlines()[-15:]))
