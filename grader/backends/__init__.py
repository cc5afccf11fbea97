"""Sandbox backends: where a job runs. Chosen by GRADER_BACKEND (docker | process)."""

from __future__ import annotations

import os

from grader.backends.base import Backend, RunOutcome, Sandbox, SandboxUnavailable


def get_backend(name: str | None = None, **options) -> Backend:
    """The backend named by ``name`` or $GRADER_BACKEND (default: docker)."""
    name = name or os.environ.get("GRADER_BACKEND", "docker")
    if name == "docker":
        from grader.backends.docker_backend import DockerBackend

        return DockerBackend(**options)
    if name == "process":
        from grader.backends.process_backend import ProcessBackend

        return ProcessBackend(**options)
    raise ValueError(f"unknown GRADER_BACKEND {name!r}: use 'docker' or 'process'")


__all__ = ["Backend", "RunOutcome", "Sandbox", "SandboxUnavailable", "get_backend"]
