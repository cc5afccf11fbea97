"""GPU exercises graded without a GPU: which image, which cases, which tensors (grader/gpu.py)."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from grader.backends.docker_backend import DEFAULT_TRITON_IMAGE, DockerBackend
from grader.backends.process_backend import ProcessBackend
from grader.exercise import load_exercise
from grader.gpu import cpu_correctness, runs_on_gpu
from grader.harness.contract import SandboxKind
from grader.jobs import case_seed, pool_cases_from_seed, sandbox_kind
from grader.protocol import TensorArg
from grader.reference import ExpectedStore
from tests.conftest import ROOT

GPU_EXERCISES = ["triton-matmul", "fused-attention-gpu"]


def tensors(case):
    found = []

    def walk(value):
        if isinstance(value, TensorArg):
            found.append(value)
        elif isinstance(value, (tuple, list)):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    walk((case.args, case.kwargs))
    return found


@pytest.fixture(params=GPU_EXERCISES)
def exercise(request):
    return load_exercise(ROOT / "exercises" / request.param)


@functools.cache
def _pool_zero(slug: str) -> tuple:
    exercise = load_exercise(ROOT / "exercises" / slug)
    return tuple(pool_cases_from_seed(exercise, case_seed(exercise, 0)))


def pool_zero(exercise) -> list:
    """Pool 0's cases of a GPU exercise, built once per session: the timed inputs take about a
    second to build and these tests only read them."""
    return list(_pool_zero(exercise.slug))


def test_gpu_exercises_run_in_the_triton_sandbox(exercise):
    assert exercise.gpu and exercise.kind == "performance"
    assert sandbox_kind(exercise) == SandboxKind.TRITON


def test_gpu_exercises_are_built_for_the_gpu_in_bf16_with_timed_cases(exercise):
    cases = pool_zero(exercise)
    assert any(c.is_timed for c in cases)
    assert {(t.dtype, t.device) for c in cases for t in tensors(c)} == {("bfloat16", "cuda")}


def test_without_a_gpu_timed_cases_are_left_out_and_tensors_are_float16_on_the_cpu(exercise):
    cases = pool_cases_from_seed(exercise, case_seed(exercise, 0), on_gpu=False)
    assert cases and not any(c.is_timed for c in cases)
    assert {(t.dtype, t.device) for c in cases for t in tensors(c)} == {("float16", "cpu")}
    assert len(cases) == len([c for c in pool_zero(exercise) if not c.is_timed])


def test_the_cpu_mode_keeps_the_numbers_and_other_dtypes():
    data = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    from grader.cases import Case

    case = Case("c", "f", (TensorArg(data, "bfloat16", "cuda:0"), TensorArg(data, "float32", "cuda")), {"n": 3})
    moved = cpu_correctness([case])[0]
    assert moved.args[0].dtype == "float16" and moved.args[0].device == "cpu"
    assert moved.args[1].dtype == "float32" and moved.args[1].device == "cpu"
    assert moved.args[0].data is data and moved.kwargs == {"n": 3}


def test_a_backend_without_a_gpu_grades_gpu_exercises_in_cpu_mode(exercise):
    assert not runs_on_gpu(exercise, DockerBackend())
    assert not runs_on_gpu(exercise, ProcessBackend(allow=True))
    assert runs_on_gpu(exercise, DockerBackend(gpu=True, triton_image="tensordojo/sandbox-gpu:latest"))
    assert runs_on_gpu(exercise, ProcessBackend(allow=True, gpu=True))


def test_a_wrapping_backend_answers_for_the_one_it_wraps(exercise):
    from types import SimpleNamespace

    assert runs_on_gpu(exercise, SimpleNamespace(backend=ProcessBackend(allow=True, gpu=True)))
    assert not runs_on_gpu(exercise, SimpleNamespace(backend=DockerBackend()))


def test_cpu_exercises_are_untouched_by_the_gpu_mode():
    pairwise = load_exercise(ROOT / "exercises" / "vectorise-pairwise")
    assert runs_on_gpu(pairwise, DockerBackend())
    assert any(c.is_timed for c in pool_cases_from_seed(pairwise, case_seed(pairwise, 0)))


def test_the_triton_image_is_the_interpreter_image_unless_a_gpu_worker_names_its_own():
    assert DockerBackend().images[SandboxKind.TRITON] == DEFAULT_TRITON_IMAGE
    worker = DockerBackend(triton_image="tensordojo/sandbox-gpu:latest", gpu=True)
    assert worker.images[SandboxKind.TRITON] == "tensordojo/sandbox-gpu:latest" and worker.has_gpu


def test_expected_values_of_the_two_modes_are_cached_apart(exercise, tmp_path):
    store = ExpectedStore(tmp_path)
    cpu = ProcessBackend(allow=True)
    gpu = ProcessBackend(allow=True, gpu=True)
    assert store.key(exercise, cpu, 0) == store.key(exercise, gpu, 0) + "-cpu"


def test_a_gpu_job_fits_the_sandbox_limits_on_the_way_in_and_out(exercise):
    """Fresh inputs for every repetition travel in the job; every output comes back (as float32)."""
    from grader.harness.supervisor import MAX_JOB_BYTES

    cases = pool_zero(exercise)
    sent = sum(t.data.nbytes for c in cases for t in tensors(c))
    sent += sum(t.data.nbytes for c in cases if c.timing for s in c.timing.arg_sets + c.timing.warmup_sets for t in s)
    returned = 0
    for case in cases:
        if case.timing:
            first = case.timing.arg_sets[0]
            rows, cols = first[0].data.shape[-2], first[1].data.shape[-1]
            batch = int(np.prod(first[0].data.shape[:-2]))
            returned += len(case.timing.arg_sets) * batch * rows * cols * 4
    assert sent < MAX_JOB_BYTES
    assert returned < exercise.limits.result_max_bytes
