"""What goes into a sandbox: only what the run needs, hidden cases from a per-submission seed."""

from __future__ import annotations

import io
import json
import tarfile

import pytest

from grader.backends.docker_backend import container_options
from grader.exercise import load_exercise
from grader.jobs import case_seed, learner_job, pack_cases, pool_cases_from_seed, sandbox_kind
from grader.limits import Limits
from tests.conftest import FIXTURE_EXERCISES, ROOT


@pytest.fixture(scope="module")
def golden():
    return load_exercise(FIXTURE_EXERCISES / "golden-probe")


def job_files(job: bytes) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(job)) as archive:
        return {m.name: archive.extractfile(m).read() for m in archive}


def test_a_visible_only_job_carries_no_hidden_case_and_no_hidden_array(probe_exercise):
    packed = pack_cases(pool_cases_from_seed(probe_exercise, case_seed(probe_exercise, 0)))

    files = job_files(learner_job(probe_exercise, packed, "def solve(x):\n    return x\n", visible_only=True))
    job = json.loads(files["job.json"])

    visible = packed.visible_ids()
    assert [p["name"] for p in job["phases"]] == ["visible"]
    assert {c["id"] for c in job["cases"]} == visible
    assert len([n for n in files if n.endswith(".npy")]) == len(visible)


def test_the_job_holds_no_expected_value_and_names_the_rules_as_data(golden):
    packed = pack_cases(pool_cases_from_seed(golden, case_seed(golden, 0)))

    job = json.loads(job_files(learner_job(golden, packed, "x = 1\n"))["job.json"])

    assert job["rules"]["operators"] == ["@"]
    assert [p["name"] for p in job["phases"]] == ["visible", "hidden", "timed"]
    assert "expected" not in json.dumps(job)


def test_hidden_and_timed_inputs_change_with_the_pool_seed_and_visible_ones_do_not(golden):
    first, second = (
        pool_cases_from_seed(golden, case_seed(golden, 0)),
        pool_cases_from_seed(golden, case_seed(golden, 1)),
    )

    for a, b in zip(first, second, strict=True):
        assert a.name == b.name
        if a.visible:
            assert a.args == b.args
        else:
            assert (a.args, a.timing) != (b.args, b.timing)


def test_a_secret_changes_the_pool(golden):
    hidden = [c for c in pool_cases_from_seed(golden, case_seed(golden, 0)) if not c.visible]
    with_secret = [c for c in pool_cases_from_seed(golden, case_seed(golden, 0, "s3cret")) if not c.visible]

    assert [c.args for c in hidden] != [c.args for c in with_secret]


def test_an_exercise_without_numpy_runs_in_the_standard_library_sandbox(golden, probe_exercise):
    assert sandbox_kind(golden) == "stdlib"
    assert sandbox_kind(load_exercise(ROOT / "exercises" / "matmul-by-hand")) == "stdlib"
    assert sandbox_kind(probe_exercise) == "numpy"


def test_the_docker_runtime_reaches_the_host_config():
    _, host_config = container_options(Limits(), "image", gpu=False, runtime="runsc")
    _, default = container_options(Limits(), "image", gpu=False)

    assert host_config["runtime"] == "runsc"
    assert "runtime" not in default
