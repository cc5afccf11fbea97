"""GPU exercises on machines with and without a GPU.

A GPU exercise (exercise.toml ``gpu = true``) builds its cases for the real
thing: bf16 tensors on ``cuda``, timed cases included. Where grading happens
decides how they run:

- on a GPU worker (a backend with ``has_gpu``), as built, in the GPU sandbox
  image; timed cases are timed (see grader/harness/gpu_timing.py);
- anywhere else (CI, a laptop, the CPU workers), in CPU-correctness mode: the
  sandbox is the Triton image whose interpreter (``TRITON_INTERPRET=1``) runs
  kernels on the CPU, tensors are float16 on the CPU (the interpreter cannot do
  bf16: triton-lang/triton#11584), and timed cases are left out: a time taken
  by an interpreter means nothing. The exercise page says timing needs a GPU.

The reference runs in the same mode as the learner (same image, same cases), so
the expected values always match the mode; the cache key keeps the two apart.
"""

from __future__ import annotations

from dataclasses import replace

from grader.cases import Case
from grader.protocol import TensorArg

CPU_DEVICE, CPU_DTYPE = "cpu", "float16"
GPU_ONLY_DTYPES = {"bfloat16"}  # what the interpreter cannot run


def runs_on_gpu(exercise, backend) -> bool:
    """Whether this exercise's cases run as built (True) or in CPU-correctness mode.

    A wrapper (the warm pool, grader/backends/pool.py) answers for the backend it wraps.
    """
    if not exercise.gpu:
        return True
    while backend is not None and not hasattr(backend, "has_gpu") and hasattr(backend, "backend"):
        backend = backend.backend
    return bool(getattr(backend, "has_gpu", False))


def cpu_correctness(cases: list[Case]) -> list[Case]:
    """The cases of a GPU exercise as the CPU runs them: untimed, float16, on the CPU."""
    return [_on_cpu(case) for case in cases if not case.is_timed]


def _on_cpu(case: Case) -> Case:
    return replace(case, args=_move(tuple(case.args)), kwargs=_move(dict(case.kwargs)))


def _move(value):
    if isinstance(value, TensorArg):
        dtype = CPU_DTYPE if value.dtype in GPU_ONLY_DTYPES else value.dtype
        device = CPU_DEVICE if value.device.startswith("cuda") else value.device
        return TensorArg(value.data, dtype=dtype, device=device)
    if isinstance(value, tuple):
        return tuple(_move(v) for v in value)
    if isinstance(value, list):
        return [_move(v) for v in value]
    if isinstance(value, dict):
        return {k: _move(v) for k, v in value.items()}
    return value
