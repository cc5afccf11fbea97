"""GPU timing: what the harness measures on a GPU, and the rules that decide what a measurement is worth.

Standard library only at import (the supervisor, which never touches the GPU,
uses the decision rules; the runner passes ``torch`` in to ``DeviceClock``).

How a timed repetition is measured
----------------------------------
The supervisor's clock is the authority: it starts when the first byte of a
repetition's request is written and stops when the whole result has been read
(supervisor.py). That window also holds moving the arrays through pipes and to
and from the device, so on a GPU it is far longer than the kernel. Inside the
learner's process the runner therefore also times the call with CUDA events
(``DeviceClock``): the L2 cache flushed first (a buffer larger than any L2 is
overwritten), a start event on the current stream, the call, an end event,
then a device-wide synchronisation with functions captured before the
learner's code was loaded. That figure is precise but lives in a process the
learner controls, so it counts only as far as the outside clock confirms it:

    effective = min(outside, max(device, outside - allowed_gap))

where ``allowed_gap`` is what the reference solution's own runs showed for
the same shapes (the transfers and encoding, which do not depend on the
kernel): their median, with no slack. Slack was what a forged event figure
could win (the runner is the learner's process; replacing its ``DeviceClock``
goes unseen): with none, a forged figure counts as ``outside - allowed_gap``,
which is the honest figure give or take the gap's own noise, and the larger of
the two numbers is always kept, so noise never charges anyone less than their
events showed. Work hidden outside the event window (another
stream, a lazy result finished while encoding) makes ``outside - allowed_gap``
exceed ``device``, and the larger number is kept. An event figure longer than
the whole outside window is impossible and is ignored. Tampering with
``torch.cuda.Event`` or ``synchronize`` is detected and voids the event figure.

Repetitions continue, each on fresh inputs whose every output is checked
outside, until the standard error of the mean is under 1% of the mean (after a
minimum number) or the time budget runs out; several shapes are ranked by the
geometric mean of their medians; a time faster than the GPU's datasheet peak
allows (grader/gpu_peaks.py) is rejected.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

REL_SE = 0.01  # stop once the standard error of the mean is under 1% of it
MIN_REPS = 5
L2_FLUSH_BYTES = 256 << 20  # larger than the L2 of any current GPU (H100/H200: 50 MiB, B200: 126 MiB)


# -- decision rules (pure; unit-tested on the CPU) ------------------------------------------------


def relative_standard_error(times: list[float]) -> float:
    """Standard error of the mean over the mean (inf for fewer than two times)."""
    if len(times) < 2:
        return math.inf
    mean = statistics.fmean(times)
    if mean <= 0:
        return math.inf
    return statistics.stdev(times) / math.sqrt(len(times)) / mean


def enough_repetitions(
    times: list[float], *, spent_s: float, budget_s: float, min_reps: int = MIN_REPS, rel_se: float = REL_SE
) -> bool:
    """Whether to stop: precise enough after ``min_reps``, or the budget is spent (at least one time)."""
    if times and spent_s >= budget_s:
        return True
    return len(times) >= min_reps and relative_standard_error(times) < rel_se


def allowed_gap(reference_gaps: list[float]) -> float | None:
    """How much longer than its events a repetition may take outside: the reference's median gap.

    No slack on top: whatever slack there is, a learner who forges the event figure wins (see above).
    None when the reference reported no usable gaps (then only the outside clock counts).
    """
    usable = [g for g in reference_gaps if isinstance(g, float) and math.isfinite(g) and g >= 0]
    if not usable:
        return None
    return statistics.median(usable)


@dataclass(frozen=True)
class Confirmed:
    seconds: float  # the time that counts
    source: str  # "device" (events confirmed), "outside" (events ignored) or "bounded" (outside - allowance)


def confirmed_seconds(
    outside_s: float, device_s: float | None, gap_s: float | None, tampered: bool = False
) -> Confirmed:
    """The time a repetition counts for, from the outside clock and the in-process event figure."""
    if not (isinstance(outside_s, float) and math.isfinite(outside_s) and outside_s > 0):
        raise ValueError("the outside clock is ours and must be a positive number")
    usable = (
        not tampered
        and gap_s is not None
        and isinstance(device_s, float)
        and math.isfinite(device_s)
        and 0 < device_s <= outside_s
    )
    if not usable:
        return Confirmed(outside_s, "outside")
    bound = outside_s - gap_s
    if bound > device_s:
        return Confirmed(bound, "bounded")
    return Confirmed(device_s, "device")


def shares_memory(output: tuple[int, int], inputs: list[tuple[int, int]]) -> bool:
    """Whether an output's bytes [ptr, ptr + nbytes) overlap any input's (an aliased result)."""
    start, size = output
    if size <= 0:
        return False
    return any(s < start + size and start < s + n for s, n in inputs if n > 0)


def geometric_mean(values: list[float]) -> float:
    return statistics.geometric_mean([max(v, 1e-12) for v in values])


def rank_time(per_shape: list[list[float]]) -> float:
    """The leaderboard figure: the geometric mean over shapes of each shape's median time."""
    return geometric_mean([statistics.median(times) for times in per_shape])


def below_floor(times: list[float], floor_s: float) -> bool:
    """Any time under the physical floor (grader.gpu_peaks.floor_seconds) is not a real measurement."""
    return any(t < floor_s for t in times)


# -- measuring in the learner's process ------------------------------------------------------------


class DeviceClock:
    """CUDA-event timing with the functions captured before the learner's code is loaded.

    ``torch`` is passed in (this module imports nothing heavy). Construct it in the
    runner before the submission runs; ``tampered()`` says whether the learner has
    since replaced the public Event class or synchronize.
    """

    def __init__(self, torch, flush_bytes: int = L2_FLUSH_BYTES):
        cuda = torch.cuda
        self._torch = torch
        self._event_class = cuda.Event
        self._synchronize = cuda.synchronize
        self._elapsed = cuda.Event.elapsed_time
        self._record = cuda.Event.record
        self._current_stream = cuda.current_stream
        self._public = (cuda.Event, cuda.synchronize, cuda.Event.elapsed_time, cuda.Event.record)
        self._flush = torch.empty(flush_bytes // 4, dtype=torch.int32, device="cuda") if flush_bytes else None

    def tampered(self) -> bool:
        cuda = self._torch.cuda
        now = (cuda.Event, cuda.synchronize, self._event_class.elapsed_time, self._event_class.record)
        return any(a is not b for a, b in zip(now, self._public, strict=True)) or cuda.Event is not self._event_class

    def flush_l2(self) -> None:
        if self._flush is not None:
            self._flush.zero_()

    def time_call(self, function, *args, **kwargs):
        """(value, seconds between the events) for one call, with a cold L2 and the device idle first."""
        self.flush_l2()
        self._synchronize()
        start = self._event_class(enable_timing=True)
        end = self._event_class(enable_timing=True)
        stream = self._current_stream()
        self._record(start, stream)
        value = function(*args, **kwargs)
        self._record(end, stream)
        self._synchronize()  # device-wide: work the learner left on other streams finishes here too
        return value, self._elapsed(start, end) / 1e3


def triton_allowance() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What Triton needs on a GPU that the sandbox's audit hook otherwise refuses (guard.install).

    The programs it starts (ptxas, a C compiler for its launchers, ldconfig to find libcuda), by
    absolute path, and the directory it imports the compiled launchers from.
    """
    import os
    import shutil

    tools = [shutil.which(name) for name in ("gcc", "cc")] + ["/sbin/ldconfig", "/usr/sbin/ldconfig"]
    tools.append(os.environ.get("TRITON_PTXAS_PATH"))
    try:
        import triton

        tools.append(os.path.join(os.path.dirname(triton.__file__), "backends", "nvidia", "bin", "ptxas"))
    except ImportError:
        pass
    cache = os.environ.get("TRITON_CACHE_DIR") or os.path.join(os.path.expanduser("~"), ".triton", "cache")
    return tuple(t for t in tools if t and os.path.isfile(t)), (cache,)


def cap_memory(torch, fraction: float) -> None:
    """Limit this process's share of the GPU's memory (the container's RAM limit does not cover it)."""
    if torch.cuda.is_available() and 0 < fraction <= 1:
        torch.cuda.set_per_process_memory_fraction(fraction)
