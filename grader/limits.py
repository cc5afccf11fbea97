"""Resource limits of one sandbox run, set per exercise and reported when hit."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace


@dataclass(frozen=True)
class Limits:
    wall_s: float = 10.0  # learner code, all cases together, enforced inside and out
    memory_mb: int = 1024  # RAM, no swap; the /tmp tmpfs counts against it
    cpus: float = 1.0
    pids: int = 128
    tmpfs_mb: int = 64
    nofile: int = 256
    fsize_mb: int = 16
    output_keep_bytes: int = 16 * 1024  # printed output kept and shown
    output_max_bytes: int = 1024 * 1024  # printed output that ends the run
    result_max_bytes: int = 64 * 1024 * 1024  # returned arrays, all cases together
    startup_grace_s: float = 20.0  # container start and imports, on top of wall_s

    def with_overrides(self, **changes) -> Limits:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def as_dict(self) -> dict:
        return asdict(self)

    def describe(self, cause: str) -> str:
        """The words a learner sees when this limit is hit."""
        memory = f"{self.memory_mb / 1024:g} GiB" if self.memory_mb >= 1024 else f"{self.memory_mb} MiB"
        return {
            "time_limit": f"time limit: {self.wall_s:g} s",
            "memory_limit": f"memory limit: {memory}",
            "output_limit": f"output limit: printed more than {self.output_max_bytes // 1024} KiB",
            "result_limit": f"output limit: returned more than {self.result_max_bytes >> 20} MiB of data",
            "file_size_limit": f"file size limit: wrote a file larger than {self.fsize_mb} MiB",
        }.get(cause, cause)
