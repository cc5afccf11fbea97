"""The anti-cheat scenarios of GPU timing, on a real GPU (the CPU versions are tests/gpu/test_gpu_timing.py).

Each scenario is a hostile ``matmul`` run the way the harness runs a timed repetition: the outside clock
(request in -> result encoded and back on the host, as the supervisor's clock sees it) around the
in-process CUDA-event clock (``DeviceClock``, built before the hostile code ran), then the decision rules of
grader/harness/gpu_timing.py. The work is a chain of matrix products, long enough (tens of ms) to exceed
the transfer gap the rules allow. A scenario passes when the rules keep their promise: the time that counts
is at most the allowed slack (the allowed gap minus the honest gap) below the honest kernel's time, or the
output check / alias check / tamper check catches the cheat.
"""

from __future__ import annotations

import statistics
import time

from grader.harness import gpu_timing as gt


def _outside(clock, torch, function, A, B):
    """One repetition as the supervisor sees it: inputs to the device, the call, the result back on the host."""
    started = time.perf_counter()
    a, b = A.to("cuda", non_blocking=False), B.to("cuda", non_blocking=False)
    value, device_s = clock.time_call(function, a, b)
    host = value.cpu() if hasattr(value, "cpu") else value
    return host, device_s, time.perf_counter() - started, (a, b, value)


def run(torch, n: int = 4096, reps: int = 5, chain: int = 100) -> list[dict]:
    """Every scenario; returns one record per scenario with passed True/False and what decided it."""
    clock = gt.DeviceClock(torch)

    def honest(a, b):
        c = a
        for _ in range(chain):  # ~17 ms on an H200 at n = 4096: more than the transfers around it
            c = torch.matmul(c, b)
        return c

    scale = 1.0 / n**0.5  # keeps the chained products finite
    inputs = [
        (torch.randn(n, n, dtype=torch.bfloat16), (torch.randn(n, n) * scale).to(torch.bfloat16)) for _ in range(reps)
    ]
    answers = [honest(A.cuda(), B.cuda()).float().cpu() for A, B in inputs]

    def measure(function):
        return [_outside(clock, torch, function, A, B) for A, B in inputs]

    baseline = measure(honest)
    gaps = [outside - device for _, device, outside, _ in baseline]
    gap = gt.allowed_gap(gaps)
    honest_device = sorted(d for _, d, _, _ in baseline)[len(baseline) // 2]
    slack = statistics.pstdev(gaps)  # the gap's own noise: what a cheat may still hide (docs/gpu.md)
    results = []

    def judged(name, runs, tampered=False, check_outputs=True, check_alias=False):
        times, wrong, aliased = [], 0, False
        for answer, (host, device_s, outside_s, (a, b, value)) in zip(answers, runs, strict=True):
            times.append(gt.confirmed_seconds(outside_s, device_s, gap, tampered=tampered).seconds)
            if check_outputs and not torch.allclose(host.float(), answer, rtol=2e-2, atol=2e-2):
                wrong += 1
            if check_alias and hasattr(value, "untyped_storage"):
                storage = value.untyped_storage()
                spans = [(t.untyped_storage().data_ptr(), t.untyped_storage().nbytes()) for t in (a, b)]
                aliased = aliased or gt.shares_memory((storage.data_ptr(), storage.nbytes()), spans)
        median = sorted(times)[len(times) // 2]
        caught = wrong > 0 or aliased or tampered or median >= honest_device - 1.5 * slack
        results.append(
            {
                "scenario": name,
                "passed": bool(caught),
                "median_counted_s": median,
                "honest_kernel_s": honest_device,
                "allowed_slack_s": slack,
                "outputs_wrong": wrong,
                "aliased": aliased,
                "tampered": tampered,
            }
        )

    # 1. results cached across repetitions: the first answer returned for every later input
    cache = {}

    def cached(a, b):
        if "c" not in cache:
            cache["c"] = honest(a, b)
        return cache["c"]

    judged("results cached across repetitions", measure(cached))

    # 2. work launched on another stream and returned before it finishes
    side = torch.cuda.Stream()

    def other_stream(a, b):
        out = torch.empty(a.shape[0], b.shape[1], dtype=a.dtype, device=a.device)
        side.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(side):
            out.copy_(honest(a, b))
        return out

    judged("work on another stream, returned before it finishes", measure(other_stream))

    # 3. a patched torch.cuda.Event that reports a tiny time
    original_event = torch.cuda.Event

    class FastEvent(original_event):
        def elapsed_time(self, end):
            return 1e-4

    torch.cuda.Event = FastEvent
    try:
        judged("patched torch.cuda.Event", measure(honest), tampered=clock.tampered())
    finally:
        torch.cuda.Event = original_event

    # 4. a patched synchronize that does nothing (the clock keeps the one captured before)
    original_sync = torch.cuda.synchronize
    torch.cuda.synchronize = lambda *a, **k: None
    try:
        judged("patched torch.cuda.synchronize", measure(honest), tampered=clock.tampered())
    finally:
        torch.cuda.synchronize = original_sync

    # 5. the output written into an input's memory (no allocation, and an input the harness still holds)
    def in_place(a, b):
        a.copy_(honest(a, b))
        return a

    judged("output aliasing an input", measure(in_place), check_alias=True)

    # 6. lazy work finished after the end event (while the result is encoded)
    class Lazy:
        def __init__(self, a, b):
            self.a, self.b = a, b

        def cpu(self):
            return honest(self.a, self.b).cpu()

    judged("lazy work finished after the clock stops", measure(lambda a, b: Lazy(a, b)))
    return results
