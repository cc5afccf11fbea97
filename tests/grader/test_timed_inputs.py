"""Timed inputs are fresh per submission; the hidden pool stays cached; no handle of it reaches the learner."""

from __future__ import annotations

import io
import json
import tarfile

import pytest

from grader.exercise import load_exercise
from grader.grading import grade
from grader.reference import ExpectedStore
from tests.conftest import FIXTURE_EXERCISES
from tests.grader.test_golden import GOLDEN, GoldenBackend, GoldenSandbox

TIMED, HIDDEN = "hidden: timed", "hidden: triples"


class RecordingSandbox(GoldenSandbox):
    def __init__(self, folder, jobs: list[dict]):
        super().__init__(folder)
        self.jobs = jobs

    def feed(self, job: bytes) -> None:
        with tarfile.open(fileobj=io.BytesIO(job)) as archive:
            self.jobs.append(json.loads(archive.extractfile("job.json").read()))
        super().feed(job)


class RecordingBackend(GoldenBackend):
    def __init__(self):
        super().__init__(GOLDEN / "accepted")
        self.jobs: list[dict] = []

    def create(self, limits, *, gpu=False, kind="numpy", preload=()):
        return RecordingSandbox(self.folder, self.jobs)


@pytest.fixture
def exercise():
    return load_exercise(FIXTURE_EXERCISES / "golden-probe")


def learner_jobs(backend: RecordingBackend) -> list[dict]:
    return [job for job in backend.jobs if [p["name"] for p in job["phases"]] != ["reference"]]


def case_in(job: dict, exercise, name: str) -> dict:
    index = [c.name for c in exercise.build_cases()].index(name)
    return next(c for c in job["cases"] if c["id"] == f"c{index}")


def test_two_submissions_on_the_same_pool_entry_get_the_same_hidden_but_fresh_timed_inputs(exercise, tmp_path):
    backend, store = RecordingBackend(), ExpectedStore(tmp_path)

    for _ in range(2):
        assert grade(exercise, exercise.solution, backend=backend, store=store, pool_index=0).verdict == "accepted"

    first, second = learner_jobs(backend)
    assert case_in(first, exercise, HIDDEN)["args"] == case_in(second, exercise, HIDDEN)["args"]
    assert case_in(first, exercise, TIMED)["timing"] != case_in(second, exercise, TIMED)["timing"]


def test_the_timed_reference_run_of_a_submission_carries_the_timed_cases_only(exercise, tmp_path):
    backend, store = RecordingBackend(), ExpectedStore(tmp_path)

    grade(exercise, exercise.solution, backend=backend, store=store, pool_index=0)
    grade(exercise, exercise.solution, backend=backend, store=store, pool_index=0)

    references = [job for job in backend.jobs if job not in learner_jobs(backend)]
    timed_id = case_in(learner_jobs(backend)[0], exercise, TIMED)["id"]
    assert len(references) == 3  # the pool entry once (cached), then the timed cases per submission
    assert timed_id not in [c["id"] for c in references[0]["cases"]]  # the cached pool holds no timed input
    assert [[c["id"] for c in job["cases"]] for job in references[1:]] == [[timed_id], [timed_id]]


def test_a_check_that_names_its_timed_seed_is_deterministic_and_cached(exercise, tmp_path):
    backend, store = RecordingBackend(), ExpectedStore(tmp_path)

    for _ in range(2):
        grade(exercise, exercise.solution, backend=backend, store=store, pool_index=0, timed_seed=7)

    first, second = learner_jobs(backend)
    assert case_in(first, exercise, TIMED)["timing"] == case_in(second, exercise, TIMED)["timing"]
    assert len(backend.jobs) == 4  # pool reference, one timed reference, two learner runs


def test_no_pool_index_or_seed_reaches_the_learner(exercise, tmp_path):
    result = grade(exercise, exercise.solution, backend=RecordingBackend(), store=ExpectedStore(tmp_path), pool_index=3)

    document = json.dumps(result.to_results_json())
    assert "pool" not in document and "seed" not in document
