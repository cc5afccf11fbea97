"""Peak rates of known GPUs: the physical floor under any time a GPU submission reports.

A call that does ``flops`` of arithmetic and moves ``bytes`` cannot finish in
less than ``max(flops / peak_flops, bytes / peak_bytes)``. The table holds each
GPU's datasheet peaks (dense bf16 tensor-core FLOP/s, memory bandwidth), which
are above anything measured, times a small headroom, so honest code is never
rejected. ``measured`` records what a plain torch.matmul / copy loop reached on
that GPU, for the README and the device check, where known.

A GPU worker looks its own device up once at start-up
(``peaks_for(torch.cuda.get_device_name())``) and passes the result to
``grader.grading.configure(GraderConfig(gpu_peak_flops=..., gpu_peak_bytes=...))``.
The name comes from the worker, never from inside the sandbox.
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.timing import GPU_PEAK_BYTES, GPU_PEAK_FLOPS

HEADROOM = 1.10  # datasheet peaks are already upper bounds; 10% more for clocks above the base boost


@dataclass(frozen=True)
class GpuPeaks:
    name: str
    flops_per_s: float  # dense bf16 with fp32 accumulation, datasheet
    bytes_per_s: float  # device memory bandwidth, datasheet
    measured_flops: float | None = None  # bf16 torch.matmul, large square
    measured_bytes: float | None = None  # device-to-device copy

    @property
    def floor_flops(self) -> float:
        return self.flops_per_s * HEADROOM

    @property
    def floor_bytes(self) -> float:
        return self.bytes_per_s * HEADROOM


# Most specific first: the first entry whose key is in the device name wins.
KNOWN_GPUS: tuple[tuple[str, GpuPeaks], ...] = (
    ("B200", GpuPeaks("NVIDIA B200", 2.25e15, 8.0e12)),
    ("H200", GpuPeaks("NVIDIA H200", 989e12, 4.8e12, measured_flops=790e12, measured_bytes=4.3e12)),
    ("GH200", GpuPeaks("NVIDIA GH200", 989e12, 4.9e12)),
    ("H100 PCIe", GpuPeaks("NVIDIA H100 PCIe", 756e12, 2.0e12)),
    ("H100 NVL", GpuPeaks("NVIDIA H100 NVL", 835e12, 3.9e12)),
    ("H100", GpuPeaks("NVIDIA H100 SXM", 989e12, 3.35e12)),
    ("H800", GpuPeaks("NVIDIA H800", 989e12, 3.35e12)),
    ("A100-SXM4-80GB", GpuPeaks("NVIDIA A100 SXM 80GB", 312e12, 2.039e12)),
    ("A100 80GB PCIe", GpuPeaks("NVIDIA A100 PCIe 80GB", 312e12, 1.935e12)),
    ("A100", GpuPeaks("NVIDIA A100 40GB", 312e12, 1.555e12)),
    ("L40S", GpuPeaks("NVIDIA L40S", 362e12, 864e9)),
    ("L40", GpuPeaks("NVIDIA L40", 181e12, 864e9)),
    ("L4", GpuPeaks("NVIDIA L4", 121e12, 300e9)),
    ("A10G", GpuPeaks("NVIDIA A10G", 70e12, 600e9)),
    ("A10", GpuPeaks("NVIDIA A10", 125e12, 600e9)),
    ("RTX 4090", GpuPeaks("NVIDIA GeForce RTX 4090", 330e12, 1.008e12)),
    ("RTX 3090", GpuPeaks("NVIDIA GeForce RTX 3090", 142e12, 936e9)),
    ("T4", GpuPeaks("NVIDIA T4", 65e12, 320e9)),
)
# A GPU not in the table: twice the fastest one known (and at least the grader's generic GPU peaks).
UNKNOWN = GpuPeaks(
    "unknown GPU",
    max(GPU_PEAK_FLOPS, 2 * max(p.flops_per_s for _, p in KNOWN_GPUS)),
    max(GPU_PEAK_BYTES, 2 * max(p.bytes_per_s for _, p in KNOWN_GPUS)),
)


def peaks_for(device_name: str) -> GpuPeaks:
    """The table entry for a device name as CUDA reports it; a generous default when unknown."""
    for key, peaks in KNOWN_GPUS:
        if key.lower() in device_name.lower():
            return peaks
    return UNKNOWN


def floor_seconds(flops: float, bytes_moved: float, peaks: GpuPeaks) -> float:
    """The least time a call doing this much work could take on this GPU."""
    return max(flops / peaks.floor_flops, bytes_moved / peaks.floor_bytes)
