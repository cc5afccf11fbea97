"""Plausibility of timings taken outside the learner's process.

Every timed repetition is timed by the supervisor, from the moment its inputs
start to leave to the moment its whole result has arrived; the learner's own
clock counts for nothing. The outside time is still checked against physics:
a call cannot finish faster than its arithmetic at the machine's peak rate,
nor faster than moving its bytes at peak memory bandwidth. The peaks are
generous upper bounds (given by the caller for other hardware), so honest code
is never rejected.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

# An H200: ~1e15 dense bf16 FLOP/s, 4.8e12 B/s; doubled for headroom.
GPU_PEAK_FLOPS, GPU_PEAK_BYTES = 2e15, 1e13
# One modern core peaks near 1e11 double FLOP/s; 5x headroom per allowed CPU.
CPU_PEAK_FLOPS, CPU_PEAK_BYTES = 5e11, 2e11


@dataclass(frozen=True)
class Peaks:
    flops_per_s: float
    bytes_per_s: float

    @classmethod
    def for_run(
        cls,
        *,
        gpu: bool,
        cpus: float,
        cpu_flops: float = CPU_PEAK_FLOPS,
        cpu_bytes: float = CPU_PEAK_BYTES,
        gpu_flops: float = GPU_PEAK_FLOPS,
        gpu_bytes: float = GPU_PEAK_BYTES,
    ) -> Peaks:
        if gpu:
            return cls(gpu_flops, gpu_bytes)
        return cls(cpu_flops * max(1.0, cpus), cpu_bytes)


def floor_seconds(flops: float, bytes_moved: float, peaks: Peaks) -> float:
    """The least time a call could physically take."""
    return max(flops / peaks.flops_per_s, bytes_moved / peaks.bytes_per_s)


def implausible(times: list[float], floor: float) -> bool:
    return any(t < floor for t in times)


def median(values: list[float]) -> float:
    return statistics.median(values)


def geometric_mean(values: list[float]) -> float:
    return statistics.geometric_mean([max(v, 1e-12) for v in values])
