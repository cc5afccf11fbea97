"""Plausibility of timings reported from inside a sandbox.

A timing comes from the untrusted side, so it is checked against physics: a
call cannot finish faster than its arithmetic at the machine's peak rate, nor
faster than moving its bytes at peak memory bandwidth. The peaks are generous
upper bounds (settable for other hardware) so honest code is never rejected.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Peaks:
    flops_per_s: float
    bytes_per_s: float

    @classmethod
    def for_run(cls, *, gpu: bool, cpus: float) -> Peaks:
        if gpu:  # an H200: ~1e15 dense bf16 FLOP/s, 4.8e12 B/s; doubled for headroom
            return cls(
                float(os.environ.get("GRADER_GPU_PEAK_FLOPS", 2e15)),
                float(os.environ.get("GRADER_GPU_PEAK_BYTES", 1e13)),
            )
        # One modern core peaks near 1e11 double FLOP/s; 5x headroom per allowed CPU.
        per_cpu = float(os.environ.get("GRADER_CPU_PEAK_FLOPS", 5e11))
        return cls(per_cpu * max(1.0, cpus), float(os.environ.get("GRADER_CPU_PEAK_BYTES", 2e11)))


def floor_seconds(flops: float, bytes_moved: float, peaks: Peaks) -> float:
    """The least time a call could physically take."""
    return max(flops / peaks.flops_per_s, bytes_moved / peaks.bytes_per_s)


def implausible(times: list[float], floor: float) -> bool:
    return any(t < floor for t in times)


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def geometric_mean(values: list[float]) -> float:
    return math.exp(sum(math.log(max(v, 1e-12)) for v in values) / len(values))
