"""The timed stock: prepared timed draws, each used once, that take the reference's run off the learner's path."""

from __future__ import annotations

import io
import multiprocessing
import os
import stat
import tarfile

import pytest

from grader import timed_stock
from grader.backends import get_backend
from grader.exercise import load_exercise
from grader.grading import grade
from grader.reference import ExpectedStore
from grader.timed_stock import DRAW_SUFFIX, StockedDraw, TimedStock, inputs_digest
from tests.conftest import FIXTURE_EXERCISES
from tests.grader.test_timed_inputs import TIMED, RecordingBackend, RecordingSandbox, case_in, learner_jobs
from tests.support.backends import CountingBackend


@pytest.fixture
def exercise():
    return load_exercise(FIXTURE_EXERCISES / "golden-probe")


def reference_jobs(backend: RecordingBackend) -> list[dict]:
    return [job for job in backend.jobs if job not in learner_jobs(backend)]


def stocked_files(stock: TimedStock) -> list[str]:
    return sorted(os.listdir(stock.directory)) if stock.directory.is_dir() else []


def test_a_fill_tops_the_stock_up_to_its_size_with_one_reference_run_per_draw(exercise, tmp_path):
    backend, store = RecordingBackend(), ExpectedStore(tmp_path)
    stock = TimedStock(store, exercise, backend)

    assert stock.fill(3) == 3
    assert stock.fill(3) == 0  # already full
    stock.take(store.get(exercise, backend, 0))

    assert stock.fill(3) == 1
    assert len(stock) == 3
    assert len(reference_jobs(backend)) == 1 + 4  # the pool entry (cached), then one run per draw made


def test_a_draw_is_used_once_and_then_gone(exercise, tmp_path):
    backend, store = RecordingBackend(), ExpectedStore(tmp_path)
    stock = TimedStock(store, exercise, backend)
    stock.fill(3)
    expected = store.get(exercise, backend, 0)

    taken = [stock.take(expected) for _ in range(3)]

    assert len({inputs_digest(draw.packed, [draw.packed.ids[TIMED]]) for draw in taken}) == 3
    assert stock.take(expected) is None
    assert [name for name in stocked_files(stock) if not name.startswith(".fill")] == []  # nothing claimed is left


def _take_all(stock: TimedStock, expected, start, out) -> None:
    start.wait()
    digests = []
    while (draw := stock.take(expected)) is not None:
        digests.append(inputs_digest(draw.packed, [draw.packed.ids[TIMED]]))
    out.put(digests)


def test_processes_racing_for_the_stock_never_take_the_same_draw(exercise, tmp_path):
    backend, store = RecordingBackend(), ExpectedStore(tmp_path)
    stock = TimedStock(store, exercise, backend)
    stock.fill(40)
    expected = store.get(exercise, backend, 0)
    context = multiprocessing.get_context("fork")
    start, out = context.Event(), context.Queue()
    processes = [context.Process(target=_take_all, args=(stock, expected, start, out)) for _ in range(4)]
    for process in processes:
        process.start()

    start.set()
    taken = [digest for _ in processes for digest in out.get(timeout=60)]
    for process in processes:
        process.join(timeout=30)

    assert len(taken) == 40 and len(set(taken)) == 40
    assert len(stock) == 0


def test_of_processes_racing_for_a_single_draw_exactly_one_gets_it(exercise, tmp_path):
    backend, store = RecordingBackend(), ExpectedStore(tmp_path)
    stock = TimedStock(store, exercise, backend)
    expected = store.get(exercise, backend, 0)
    context = multiprocessing.get_context("fork")
    for _ in range(5):
        stock.fill(1)
        start, out = context.Event(), context.Queue()
        processes = [context.Process(target=_take_all, args=(stock, expected, start, out)) for _ in range(6)]
        for process in processes:
            process.start()
        start.set()
        taken = [out.get(timeout=60) for _ in processes]
        for process in processes:
            process.join(timeout=30)

        assert sorted(len(digests) for digests in taken) == [0, 0, 0, 0, 0, 1]


def test_grade_with_a_stocked_draw_runs_no_reference_after_the_learners_run(exercise, tmp_path):
    backend, store = RecordingBackend(), ExpectedStore(tmp_path)
    stock = TimedStock(store, exercise, backend)
    stock.fill(1)
    backend.jobs.clear()
    taken_before = timed_stock.counts().get("taken", 0)

    result = grade(exercise, exercise.solution, backend=backend, store=store, pool_index=0)

    assert result.verdict == "accepted"
    assert len(backend.jobs) == 1 and learner_jobs(backend) == backend.jobs  # the learner's run, nothing else
    assert len(stock) == 0
    assert timed_stock.counts()["taken"] == taken_before + 1


def test_the_learner_meets_the_inputs_the_stocked_draw_was_made_for(exercise, tmp_path):
    backend, store = RecordingBackend(), ExpectedStore(tmp_path)
    stock = TimedStock(store, exercise, backend)
    stock.fill(1)
    (path,) = stock.directory.glob(f"*{DRAW_SUFFIX}")
    stocked = StockedDraw.decode(path.read_bytes())
    made_for = store.draw_timed(exercise, backend, store.get(exercise, backend, 0), seed=stocked.seed)

    grade(exercise, exercise.solution, backend=backend, store=store, pool_index=0)

    assert (
        case_in(learner_jobs(backend)[0], exercise, TIMED)["timing"]
        == case_in({"cases": made_for.packed.job_cases}, exercise, TIMED)["timing"]
    )


def test_an_empty_stock_falls_back_to_the_reference_run_after_the_learners(exercise, tmp_path):
    backend, store = RecordingBackend(), ExpectedStore(tmp_path)
    store.get(exercise, backend, 0)
    backend.jobs.clear()
    fallbacks_before = timed_stock.counts().get("fallback", 0)

    result = grade(exercise, exercise.solution, backend=backend, store=store, pool_index=0)

    assert result.verdict == "accepted"
    assert len(learner_jobs(backend)) == 1 and len(reference_jobs(backend)) == 1
    assert backend.jobs.index(reference_jobs(backend)[0]) == 1  # after the learner's run
    assert timed_stock.counts()["fallback"] == fallbacks_before + 1


def test_a_named_timed_seed_never_touches_the_stock(exercise, tmp_path):
    backend, store = RecordingBackend(), ExpectedStore(tmp_path)
    stock = TimedStock(store, exercise, backend)
    stock.fill(2)

    grade(exercise, exercise.solution, backend=backend, store=store, pool_index=0, timed_seed=7)

    assert len(stock) == 2


def test_an_unusable_stocked_draw_is_thrown_away_and_grading_falls_back(exercise, tmp_path):
    backend, store = RecordingBackend(), ExpectedStore(tmp_path)
    stock = TimedStock(store, exercise, backend)
    stock.fill(1)
    (path,) = stock.directory.glob(f"*{DRAW_SUFFIX}")
    stocked = StockedDraw.decode(path.read_bytes())
    path.write_bytes(StockedDraw(stocked.seed + 1, stocked.digest, stocked.report).encode())  # not its inputs
    discarded_before = timed_stock.counts().get("discarded", 0)

    result = grade(exercise, exercise.solution, backend=backend, store=store, pool_index=0)

    assert result.verdict == "accepted"
    assert timed_stock.counts()["discarded"] == discarded_before + 1
    assert len(stock) == 0


class RawJobBackend(RecordingBackend):
    """Keeps every job's bytes as the sandbox received them."""

    def __init__(self):
        super().__init__()
        self.raw: list[bytes] = []

    def create(self, limits, *, gpu=False, kind="numpy", preload=()):
        backend = self

        class Sandbox(RecordingSandbox):
            def feed(self, job: bytes) -> None:
                backend.raw.append(job)
                super().feed(job)

        return Sandbox(self.folder, self.jobs)


def test_nothing_of_the_stock_enters_the_learners_job_but_the_timed_inputs(exercise, tmp_path):
    backend, store = RawJobBackend(), ExpectedStore(tmp_path)
    stock = TimedStock(store, exercise, backend)
    stock.fill(1)
    (path,) = stock.directory.glob(f"*{DRAW_SUFFIX}")
    stocked = StockedDraw.decode(path.read_bytes())
    backend.raw.clear()
    backend.jobs.clear()

    grade(exercise, exercise.solution, backend=backend, store=store, pool_index=0)

    (job,) = backend.raw
    with tarfile.open(fileobj=io.BytesIO(job)) as archive:
        unpacked = b"".join(archive.extractfile(m).read() for m in archive.getmembers() if m.isfile())
    for secret in (str(stocked.seed).encode(), stocked.digest.encode(), str(stock.directory).encode(), path.name):
        assert (secret if isinstance(secret, bytes) else secret.encode()) not in job + unpacked
    assert stat.S_IMODE(stock.directory.stat().st_mode) == 0o700


def test_a_stocked_draw_is_private_to_the_worker(exercise, tmp_path):
    backend, store = RecordingBackend(), ExpectedStore(tmp_path)
    stock = TimedStock(store, exercise, backend)
    stock.fill(1)

    (path,) = stock.directory.glob(f"*{DRAW_SUFFIX}")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_version_without_timed_cases_is_marked_and_costs_no_further_run(probe_exercise, tmp_path):
    backend, store = get_backend("process"), ExpectedStore(tmp_path)
    stock = TimedStock(store, probe_exercise, backend)

    assert stock.fill(4) == 0
    assert stock.has_no_timed_cases and not stock.wants(4)


def test_pruning_deletes_the_other_versions_stocks_of_this_exercise_only(exercise, tmp_path):
    backend, store = RecordingBackend(), ExpectedStore(tmp_path)
    stock = TimedStock(store, exercise, backend)
    stock.fill(1)
    older = stock.directory.parent / f"{exercise.slug}-0123456789abcdef-golden"
    longer_slug = stock.directory.parent / f"{exercise.slug}-two-0123456789abcdef-golden"
    for other in (older, longer_slug):
        other.mkdir()
        (other / f"x{DRAW_SUFFIX}").write_bytes(b"draw")

    assert stock.prune_others() == 1
    assert not older.exists() and longer_slug.exists() and len(stock) == 1


def test_a_real_reference_report_survives_the_stock(timing_exercise, tmp_path):
    backend, store = CountingBackend(get_backend("process"), "counting"), ExpectedStore(tmp_path)
    TimedStock(store, timing_exercise, backend).fill(1)
    runs = backend.runs

    result = grade(timing_exercise, timing_exercise.solution, backend=backend, store=store, pool_index=0)

    assert result.verdict == "accepted" and result.leaderboard
    assert backend.runs == runs + 1  # the learner's run only


def test_the_sandbox_cannot_see_the_stock(docker_backend, timing_exercise, tmp_path):
    store = ExpectedStore(tmp_path)
    stock = TimedStock(store, timing_exercise, docker_backend)
    stock.fill(1)
    # An honest answer only where neither the stock nor the cache it lives in can be found.
    probe = (
        "import os\n"
        f"SEEN = os.path.exists({str(stock.directory)!r}) or os.path.exists({str(store.root)!r})\n"
        "def fast(x):\n"
        "    return x + (2.0 if SEEN else 1.0)\n"
    )

    result = grade(timing_exercise, probe, backend=docker_backend, store=store, pool_index=0)

    assert result.verdict == "accepted"
    assert len(stock) == 0  # graded on the stocked draw
