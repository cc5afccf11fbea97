"""The grader's configuration, built from settings in one place.

grader/ never reads the platform's settings (it does not import Django): every caller on
the platform side (the worker, the Run button, `manage.py grade`, `exercises check`,
/healthz and the workers' sandbox_status) builds its backend here, so GRADER_BACKEND,
SANDBOX_IMAGE, SANDBOX_STDLIB_IMAGE and SANDBOX_RUNTIME are each read once, by settings.
"""

from __future__ import annotations

from django.conf import settings

from grader.backends import Backend, get_backend
from grader.grading import GraderConfig, configure


def backend_options(name: str) -> dict:
    """The explicit arguments of backend ``name``, from settings (the process backend takes none)."""
    if name == "docker":
        return {
            "image": settings.SANDBOX_IMAGE,
            "stdlib_image": settings.SANDBOX_STDLIB_IMAGE,
            "triton_image": settings.SANDBOX_TRITON_IMAGE,
            "gpu": settings.SANDBOX_GPU,
            "runtime": settings.SANDBOX_RUNTIME or None,
        }
    return {}


def grader_config() -> GraderConfig:
    """Everything else the grader takes from its host: the reference cache, the case pool, the peaks."""
    return GraderConfig(
        backend=settings.GRADER_BACKEND,
        image=settings.SANDBOX_IMAGE,
        stdlib_image=settings.SANDBOX_STDLIB_IMAGE,
        triton_image=settings.SANDBOX_TRITON_IMAGE,
        gpu=settings.SANDBOX_GPU,
        runtime=settings.SANDBOX_RUNTIME or None,
        cache_dir=settings.GRADER_CACHE_DIR,
        pool_size=settings.GRADER_CASE_POOL_SIZE,
        pool_secret=settings.GRADER_CASE_POOL_SECRET,
        cpu_peak_flops=settings.GRADER_CPU_PEAK_FLOPS,
        cpu_peak_bytes=settings.GRADER_CPU_PEAK_BYTES,
        gpu_peak_flops=settings.GRADER_GPU_PEAK_FLOPS,
        gpu_peak_bytes=settings.GRADER_GPU_PEAK_BYTES,
    )


def configure_grader() -> None:
    """Hand the grader its configuration once per process (called when Django's apps are ready)."""
    configure(grader_config())


def sandbox_backend(name: str | None = None) -> Backend:
    """The backend ``name`` (default: settings.GRADER_BACKEND), configured from settings.

    Naming "process" (in the setting or on the command line) is the explicit opt-in to the
    unsafe local backend.
    """
    name = name or settings.GRADER_BACKEND
    return get_backend(name, **backend_options(name))


def exercise_check_backend():
    """The Docker engine and images that exercise sandboxes run on (an exercise's own code never runs here).

    Always Docker, whatever GRADER_BACKEND says: the unsafe process backend would run the
    exercise's code in this very process, beside our secrets."""
    return get_backend("docker", **backend_options("docker"))
