"""A backend wrapper shared by tests and benchmarks: counts the sandboxes a grading starts."""

from __future__ import annotations

from grader.backends import Backend


class CountingBackend:
    """``backend`` as it is, counting each sandbox it creates (``runs``): how a test or benchmark
    sees how many containers one grading needed."""

    def __init__(self, backend: Backend, name: str | None = None):
        self.backend, self.name, self.unsafe, self.runs = backend, name or backend.name, backend.unsafe, 0

    def image_id(self, kind: str = "numpy") -> str:
        return self.backend.image_id(kind)

    def check(self) -> dict:
        return self.backend.check()

    def create(self, limits, **options):
        self.runs += 1
        return self.backend.create(limits, **options)
