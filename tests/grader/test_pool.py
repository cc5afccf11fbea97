"""The warm pool's rules (grader/backends/pool.py), on a fake backend, and one pooled run in Docker."""

from __future__ import annotations

import os
import threading
import time

import pytest

from grader.backends.base import RunOutcome, SandboxUnavailable, run_job
from grader.backends.pool import Key, WarmPool, parse_sizes
from grader.limits import Limits


class FakeSandbox:
    def __init__(self, number: int, kind: str, limits: Limits):
        self.number, self.kind, self.limits = number, kind, limits
        self.jobs: list[bytes] = []
        self.destroyed = False
        self.dead = False

    def feed(self, job: bytes) -> None:
        self.jobs.append(job)

    def collect(self) -> RunOutcome:
        return RunOutcome(stdout=b"ok", stderr=b"", exit_code=0, wall_s=0.0, backend="fake")

    def destroy(self) -> None:
        self.destroyed = True
        self.destroyed_in = threading.current_thread()


class FakeBackend:
    name = "fake"
    unsafe = False

    def __init__(self):
        self.made: list[FakeSandbox] = []
        self.fail = False

    def create(self, limits: Limits, *, gpu: bool = False, kind: str = "numpy", preload=()) -> FakeSandbox:
        if self.fail:
            raise SandboxUnavailable("engine down")
        sandbox = FakeSandbox(len(self.made), kind, limits)
        self.made.append(sandbox)
        return sandbox

    def image_id(self, kind: str = "numpy") -> str:
        return f"image-{kind}"

    def check(self) -> dict:
        return {"ok": True}


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_pool(sizes=None, **options):
    backend, clock = FakeBackend(), Clock()
    sizes = sizes or {"numpy": 2}
    seed = tuple((kind, Limits()) for kind in sizes)  # as if each kind's exercise had asked once
    options = {
        "max_age_s": 60.0,
        "idle_s": 120.0,
        "clock": clock,
        "alive": lambda s: not s.dead,
        "seed": seed,
        **options,
    }
    pool = WarmPool(backend, sizes, background=False, **options)
    return pool, backend, clock


def test_an_unseeded_pool_starts_empty_and_learns_limits_from_requests():
    backend = FakeBackend()
    pool = WarmPool(backend, {"stdlib": 1}, background=False)
    assert pool.fill_once() == 0
    tight = Limits(wall_s=3.0)
    first = pool.create(tight, kind="stdlib")
    assert not first.warm
    first.destroy()
    assert pool.fill_once() == 1
    assert pool.create(tight, kind="stdlib").warm


def test_a_fill_pre_starts_the_configured_number_per_kind():
    pool, backend, _ = make_pool({"numpy": 2, "stdlib": 1, "triton": 0})
    assert pool.fill_once() == 3
    assert sorted(s.kind for s in backend.made) == ["numpy", "numpy", "stdlib"]
    assert pool.describe()["ready"] == {"numpy": 2, "stdlib": 1}


def test_a_request_takes_a_pre_started_sandbox_instead_of_creating_one():
    pool, backend, _ = make_pool({"numpy": 1})
    pool.fill_once()
    sandbox = pool.create(Limits(), kind="numpy")
    assert sandbox.warm and sandbox.inner is backend.made[0]
    assert len(backend.made) == 1


def test_a_pooled_sandbox_is_handed_out_once_never_to_two_callers():
    pool, backend, _ = make_pool({"numpy": 1})
    pool.fill_once()
    first, second = pool.create(Limits(), kind="numpy"), pool.create(Limits(), kind="numpy")
    assert first.warm and not second.warm
    assert first.inner is not second.inner


def test_a_handed_out_sandbox_refuses_a_second_job():
    pool, _, _ = make_pool({"numpy": 1})
    pool.fill_once()
    sandbox = pool.create(Limits(), kind="numpy")
    sandbox.feed(b"job-1")
    with pytest.raises(RuntimeError, match="exactly one job"):
        sandbox.feed(b"job-2")


def test_a_used_sandbox_is_destroyed_and_never_returns_to_the_pool():
    pool, backend, _ = make_pool({"numpy": 1})
    pool.fill_once()
    outcome = run_job(pool, b"job", Limits(), kind="numpy")
    assert outcome.exit_code == 0
    assert backend.made[0].destroyed and backend.made[0].jobs == [b"job"]
    pool.fill_once()
    assert pool.create(Limits(), kind="numpy").inner is backend.made[1]


def test_the_pool_refills_after_a_run_not_during_it():
    pool, backend, _ = make_pool({"numpy": 1})
    pool.fill_once()
    sandbox = pool.create(Limits(), kind="numpy")
    assert pool.fill_once() == 0, "a refill while our run uses the CPU"
    sandbox.destroy()
    assert pool.fill_once() == 1
    assert pool.describe()["ready"] == {"numpy": 1}


def test_an_empty_pool_falls_back_to_the_cold_path():
    pool, backend, _ = make_pool({"numpy": 1})
    sandbox = pool.create(Limits(), kind="numpy")
    assert not sandbox.warm and sandbox.inner is backend.made[0]
    assert pool.stats["cold"] == 1


def test_a_kind_without_a_pool_size_always_takes_the_cold_path():
    pool, backend, _ = make_pool({"numpy": 1})
    pool.fill_once()
    sandbox = pool.create(Limits(), kind="stdlib")
    assert not sandbox.warm and sandbox.inner.kind == "stdlib"


def test_a_sandbox_older_than_the_maximum_age_is_destroyed_not_handed_out():
    pool, backend, clock = make_pool({"numpy": 1}, max_age_s=60.0)
    pool.fill_once()
    clock.now += 61
    sandbox = pool.create(Limits(), kind="numpy")
    assert not sandbox.warm
    assert backend.made[0].destroyed and sandbox.inner is backend.made[1]


def test_the_filler_replaces_sandboxes_that_reach_the_maximum_age():
    pool, backend, clock = make_pool({"numpy": 1}, max_age_s=60.0)
    pool.fill_once()
    clock.now += 61
    assert pool.fill_once() == 1
    assert backend.made[0].destroyed and not backend.made[1].destroyed


def test_a_dead_pooled_sandbox_is_discarded_and_the_cold_path_serves():
    pool, backend, _ = make_pool({"numpy": 1})
    pool.fill_once()
    backend.made[0].dead = True  # e.g. the engine restarted under the pool
    sandbox = pool.create(Limits(), kind="numpy")
    assert not sandbox.warm and backend.made[0].destroyed
    assert pool.stats["stale"] == 1


def test_an_idle_pool_shrinks_to_nothing_and_grows_back_on_demand():
    pool, backend, clock = make_pool({"numpy": 2}, idle_s=120.0)
    pool.fill_once()
    clock.now += 121
    assert pool.fill_once() == 0
    assert all(s.destroyed for s in backend.made) and pool.describe()["ready"] == {"numpy": 0}
    pool.create(Limits(), kind="numpy").destroy()  # a learner again
    assert pool.fill_once() == 2


def test_a_sandbox_made_for_other_limits_is_never_handed_out():
    pool, backend, _ = make_pool({"numpy": 1})
    pool.fill_once()
    tight = Limits(wall_s=3.0, memory_mb=256)
    sandbox = pool.create(tight, kind="numpy")
    assert not sandbox.warm and sandbox.inner.limits == tight


def test_the_pool_pre_starts_for_each_set_of_limits_asked_for():
    pool, backend, _ = make_pool({"numpy": 1})
    pool.fill_once()
    tight = Limits(wall_s=3.0, memory_mb=256)
    pool.create(tight, kind="numpy").destroy()
    assert pool.fill_once() == 1
    assert pool.create(tight, kind="numpy").inner.limits == tight
    assert pool.create(Limits(), kind="numpy").warm, "the other exercises' sandbox was kept"


def test_the_least_recently_asked_for_limits_are_dropped_beyond_the_cap(monkeypatch):
    pool, backend, clock = make_pool({"numpy": 1}, keys_per_kind=2)
    pool.fill_once()  # one for Limits()
    for seconds in (3.0, 4.0):
        clock.now += 1
        pool.create(Limits(wall_s=seconds), kind="numpy").destroy()
    assert backend.made[0].destroyed, "Limits() was asked for least recently: its sandbox went"
    assert pool.fill_once() == 2
    assert pool.describe()["ready"] == {"numpy": 2}


def test_a_failing_engine_leaves_the_cold_path_to_report_it():
    pool, backend, _ = make_pool({"numpy": 1})
    backend.fail = True
    assert pool.fill_once() == 0
    assert pool.stats["create_failed"] == 1
    with pytest.raises(SandboxUnavailable):
        pool.create(Limits(), kind="numpy")


def test_stop_destroys_every_waiting_sandbox():
    pool, backend, _ = make_pool({"numpy": 2, "stdlib": 1})
    pool.fill_once()
    pool.stop()
    assert all(s.destroyed for s in backend.made)
    assert pool.describe()["ready"] == {"numpy": 0, "stdlib": 0}


def test_a_forked_child_does_not_use_its_parents_pool(monkeypatch):
    pool, backend, _ = make_pool({"numpy": 1})
    pool.fill_once()
    monkeypatch.setattr(pool, "pid", os.getpid() + 1)  # as seen from a child after fork
    sandbox = pool.create(Limits(), kind="numpy")
    assert not sandbox.warm and not backend.made[0].destroyed
    pool.stop()
    assert not backend.made[0].destroyed, "a child never destroys its parent's containers"


def test_the_background_filler_pre_starts_and_stops():
    backend = FakeBackend()
    pool = WarmPool(backend, {"stdlib": 1}, tick_s=0.01, seed=(("stdlib", Limits()),))
    try:
        for _ in range(500):
            if pool.describe()["ready"]["stdlib"] == 1:
                break
            time.sleep(0.01)
        assert pool.describe()["ready"]["stdlib"] == 1
    finally:
        pool.stop()
    assert backend.made and all(s.destroyed for s in backend.made)


def test_pool_sizes_are_read_per_kind_and_bad_ones_refused():
    assert parse_sizes("stdlib=2, numpy=1,triton=0") == {"stdlib": 2, "numpy": 1, "triton": 0}
    assert parse_sizes("") == {}
    for bad in ("cuda=1", "numpy", "numpy=-1", "numpy=two"):
        with pytest.raises(ValueError):
            parse_sizes(bad)


def test_a_pooled_docker_sandbox_grades_correctly_and_leaves_no_container(docker_backend, tmp_path):
    from grader.backends.docker_backend import SANDBOX_LABEL
    from grader.exercise import load_exercise
    from grader.exercise_host_docker import close_hosts
    from grader.grading import grade
    from grader.jobs import sandbox_kind
    from grader.reference import ExpectedStore
    from tests.conftest import ROOT

    exercise = load_exercise(ROOT / "exercises" / "matmul-by-hand")
    kind = sandbox_kind(exercise)
    pool = WarmPool(docker_backend, {kind: 1}, background=False)
    store = ExpectedStore(tmp_path)
    try:
        store.get(exercise, docker_backend, 0)  # the reference run, cold, outside the pool
        pool.create(exercise.limits, kind=kind).destroy()  # first demand: the pool learns the limits
        assert pool.fill_once() == 1
        result = grade(exercise, exercise.solution, backend=pool, store=store, pool_index=0)
        assert result.verdict == "accepted", result.message
        assert pool.stats["warm"] == 1
    finally:
        pool.stop()
    client = docker_backend.client

    def mine():
        return [
            c.labels.get("tensordojo.role", "learner")
            for c in client.containers.list(all=True, filters={"label": SANDBOX_LABEL})
            if c.labels.get("tensordojo.pid") == str(os.getpid())
        ]

    assert "learner" not in mine()  # the exercise's own host stays warm by design, until its process closes it
    close_hosts()
    assert mine() == []


def test_a_pooled_docker_container_removed_under_the_pool_is_detected_and_the_cold_path_grades(
    docker_backend, tmp_path
):
    from grader.exercise import load_exercise
    from grader.grading import grade
    from grader.jobs import sandbox_kind
    from grader.reference import ExpectedStore
    from tests.conftest import ROOT

    exercise = load_exercise(ROOT / "exercises" / "matmul-by-hand")
    kind = sandbox_kind(exercise)
    pool = WarmPool(docker_backend, {kind: 1}, background=False)
    store = ExpectedStore(tmp_path)
    try:
        store.get(exercise, docker_backend, 0)
        pool.create(exercise.limits, kind=kind).destroy()
        pool.fill_once()
        (waiting,) = pool._demand[Key(kind, exercise.limits)].ready
        waiting.sandbox.container.remove(force=True)  # as after an engine restart
        result = grade(exercise, exercise.solution, backend=pool, store=store, pool_index=0)
        assert result.verdict == "accepted", result.message
        assert pool.stats["stale"] == 1 and pool.stats["warm"] == 0
    finally:
        pool.stop()


def test_a_used_sandbox_is_removed_by_the_pools_thread_off_the_learners_path():
    backend = FakeBackend()
    pool = WarmPool(backend, {"numpy": 1}, tick_s=0.05, alive=lambda s: not s.dead)
    try:
        sandbox = pool.create(Limits(), kind="numpy")
        sandbox.feed(b"job")
        sandbox.collect()
        sandbox.destroy()  # returns at once; the pool's thread removes it
        deadline = time.monotonic() + 5
        while not sandbox.inner.destroyed and time.monotonic() < deadline:
            time.sleep(0.01)
        assert sandbox.inner.destroyed
        with pytest.raises(RuntimeError):
            sandbox.feed(b"again")  # never reused
    finally:
        pool.stop()


def test_stopping_the_pool_removes_what_waits_to_be_removed():
    backend = FakeBackend()
    pool = WarmPool(backend, {"numpy": 1}, tick_s=60.0, alive=lambda s: not s.dead)
    sandboxes = [pool.create(Limits(), kind="numpy") for _ in range(3)]
    for sandbox in sandboxes:
        sandbox.destroy()
    pool.stop()
    assert all(sandbox.inner.destroyed for sandbox in sandboxes)
    assert all(made.destroyed for made in backend.made)


def test_a_run_whose_report_was_never_collected_is_removed_at_once_not_deferred():
    """collect raised: learner code may still run in it, so it does not wait for the pool's thread."""
    backend = FakeBackend()
    pool = WarmPool(backend, {"numpy": 1}, tick_s=60.0, alive=lambda s: not s.dead)
    try:
        sandbox = pool.create(Limits(), kind="numpy")
        sandbox.feed(b"job")
        sandbox.destroy()  # no collect: the grader gave up on it
        assert sandbox.inner.destroyed and sandbox.inner.destroyed_in is threading.current_thread()
    finally:
        pool.stop()
