"""Sandbox backends: where a job runs (docker | process), chosen by the caller's configuration."""

from __future__ import annotations

from grader.backends.base import Backend, RunOutcome, Sandbox, SandboxUnavailable


def get_backend(name: str | None = None, **options) -> Backend:
    """The backend called ``name`` (default: docker), built with ``options``.

    Docker takes ``image``, ``stdlib_image`` and ``runtime`` (e.g. "runsc" for gVisor);
    naming "process" is the explicit opt-in to the unsafe local backend.
    """
    name = name or "docker"
    if name == "docker":
        from grader.backends.docker_backend import DockerBackend

        return DockerBackend(**options)
    if name == "process":
        from grader.backends.process_backend import ProcessBackend

        return ProcessBackend(**{"allow": True, **options})
    raise ValueError(f"unknown grader backend {name!r}: use 'docker' or 'process'")


__all__ = ["Backend", "RunOutcome", "Sandbox", "SandboxUnavailable", "get_backend"]
