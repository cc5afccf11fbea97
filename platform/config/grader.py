"""The grader's configuration, built from settings in one place.

grader/ never reads the platform's settings (it does not import Django): every caller on
the platform side (the worker, the Run button, `manage.py grade`, `exercises check`,
/healthz and the workers' sandbox_status) builds its backend here, so GRADER_BACKEND,
SANDBOX_IMAGE, SANDBOX_STDLIB_IMAGE and SANDBOX_RUNTIME are each read once, by settings.
"""

from __future__ import annotations

from django.conf import settings

from grader.backends import Backend, get_backend


def backend_options(name: str) -> dict:
    """The explicit arguments of backend ``name``, from settings (the process backend takes none)."""
    if name == "docker":
        return {
            "image": settings.SANDBOX_IMAGE,
            "stdlib_image": settings.SANDBOX_STDLIB_IMAGE,
            "runtime": settings.SANDBOX_RUNTIME or None,
        }
    return {}


def sandbox_backend(name: str | None = None) -> Backend:
    """The backend ``name`` (default: settings.GRADER_BACKEND), configured from settings.

    Naming "process" (in the setting or on the command line) is the explicit opt-in to the
    unsafe local backend.
    """
    name = name or settings.GRADER_BACKEND
    return get_backend(name, **backend_options(name))
