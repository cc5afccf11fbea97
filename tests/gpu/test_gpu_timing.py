"""The rules that decide what a GPU time is worth, each cheat simulated on the CPU with fakes.

The real-GPU versions of these cheats run in bench/gpu/device_check.sh (bench/gpu/anticheat.py).
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

from grader import gpu_peaks
from grader.harness import gpu_timing as gt

# -- repetitions -------------------------------------------------------------------------------------


def test_repetitions_stop_once_the_standard_error_is_under_one_percent_of_the_mean():
    steady = [1.00e-3, 1.01e-3, 0.99e-3, 1.00e-3, 1.02e-3]
    assert gt.relative_standard_error(steady) < 0.01
    assert gt.enough_repetitions(steady, spent_s=0.1, budget_s=10.0)


def test_noisy_repetitions_go_on_while_the_budget_lasts():
    noisy = [1e-3, 3e-3, 1e-3, 4e-3, 1e-3]
    assert gt.relative_standard_error(noisy) > 0.01
    assert not gt.enough_repetitions(noisy, spent_s=0.1, budget_s=10.0)


def test_repetitions_stop_when_the_time_budget_is_spent_even_if_noisy():
    assert gt.enough_repetitions([1e-3, 3e-3], spent_s=10.0, budget_s=10.0)


def test_a_precise_pair_is_not_enough_before_the_minimum_number_of_repetitions():
    assert not gt.enough_repetitions([1e-3, 1e-3], spent_s=0.0, budget_s=10.0)


def test_shapes_are_ranked_by_the_geometric_mean_of_their_medians():
    # medians 1 ms and 4 ms: geometric mean 2 ms, whatever the outliers
    assert gt.rank_time([[1e-3, 1e-3, 9e-3], [4e-3, 4e-3, 1e-4]]) == pytest.approx(2e-3)


# -- events confirmed by the outside clock -------------------------------------------------------------

REFERENCE_GAPS = [0.010, 0.011, 0.012]  # the reference's (outside - events): transfers and encoding
GAP = gt.allowed_gap(REFERENCE_GAPS)


def test_the_allowed_gap_is_the_reference_median_gap_without_slack():
    assert GAP == pytest.approx(0.011)


def test_a_forged_event_figure_wins_nothing_over_the_honest_one():
    # The runner lives in the learner's process: its DeviceClock can be replaced to report ~nothing.
    # Same kernel (3 ms), same transfers as the reference (11 ms outside the events): the forger
    # counts what the honest learner counts. (With slack on the gap it won slack's worth: 7.5 ms here.)
    outside = 0.003 + 0.011
    honest = gt.confirmed_seconds(outside_s=outside, device_s=0.003, gap_s=GAP).seconds
    forged = gt.confirmed_seconds(outside_s=outside, device_s=1e-9, gap_s=GAP).seconds
    assert forged == pytest.approx(honest)


def test_noise_in_the_gap_never_charges_less_than_the_events_showed():
    # transfers 1 ms faster than the reference's this time: the event figure is kept, not outside - gap
    confirmed = gt.confirmed_seconds(outside_s=0.003 + 0.010, device_s=0.003, gap_s=GAP)
    assert confirmed == gt.Confirmed(0.003, "device")


def test_an_honest_event_time_within_the_outside_window_counts():
    confirmed = gt.confirmed_seconds(outside_s=0.0111, device_s=0.0002, gap_s=GAP)
    assert confirmed == gt.Confirmed(0.0002, "device")


def test_work_left_on_another_stream_is_caught_by_the_outside_clock():
    # The kernel runs on a side stream: the events on the current stream see ~nothing, but the runner's
    # device-wide synchronize waits for it, so the outside window grows by the 50 ms of hidden work.
    confirmed = gt.confirmed_seconds(outside_s=0.011 + 0.050, device_s=1e-6, gap_s=GAP)
    assert confirmed.source == "bounded"
    assert confirmed.seconds >= 0.050 - (GAP - 0.011)


def test_lazy_work_finished_after_the_end_event_is_caught_by_the_outside_clock():
    # A result whose numbers are produced while it is encoded (after the end event, before the reply).
    hidden = 0.030
    confirmed = gt.confirmed_seconds(outside_s=0.011 + hidden, device_s=0.0001, gap_s=GAP)
    assert confirmed.seconds == pytest.approx(0.011 + hidden - GAP)
    assert confirmed.seconds > 0.0001


def test_an_event_time_longer_than_the_whole_outside_window_is_ignored():
    confirmed = gt.confirmed_seconds(outside_s=0.012, device_s=5.0, gap_s=GAP)
    assert confirmed == gt.Confirmed(0.012, "outside")


@pytest.mark.parametrize("device_s", [None, float("nan"), -1.0, 0.0, float("inf"), "0.001"])
def test_a_missing_or_malformed_event_time_leaves_only_the_outside_clock(device_s):
    assert gt.confirmed_seconds(outside_s=0.02, device_s=device_s, gap_s=GAP) == gt.Confirmed(0.02, "outside")


def test_without_a_reference_gap_only_the_outside_clock_counts():
    assert gt.allowed_gap([]) is None
    assert gt.confirmed_seconds(outside_s=0.02, device_s=0.001, gap_s=None).source == "outside"


def test_tampered_clocks_void_the_event_figure():
    assert gt.confirmed_seconds(outside_s=0.02, device_s=0.001, gap_s=GAP, tampered=True).source == "outside"


def test_our_own_clock_must_be_a_positive_number():
    with pytest.raises(ValueError):
        gt.confirmed_seconds(outside_s=math.nan, device_s=0.001, gap_s=GAP)


# -- the in-process clock, with a fake torch -------------------------------------------------------------


class FakeEvent:
    log: list = []

    def __init__(self, enable_timing=False):
        self.at = None

    def record(self, stream=None):
        FakeEvent.log.append(("record", stream))
        self.at = len(FakeEvent.log)

    def elapsed_time(self, end):
        return 2.5  # milliseconds


def fake_torch():
    FakeEvent.log = []
    flushed = []

    def synchronize():
        FakeEvent.log.append(("synchronize", None))

    buffer = SimpleNamespace(zero_=lambda: flushed.append(True))
    cuda = SimpleNamespace(
        Event=FakeEvent,
        synchronize=synchronize,
        current_stream=lambda: "stream-0",
        is_available=lambda: True,
        set_per_process_memory_fraction=lambda f: FakeEvent.log.append(("fraction", f)),
    )
    torch = SimpleNamespace(cuda=cuda, int32="int32", empty=lambda *a, **k: buffer)
    return torch, flushed


def test_the_device_clock_flushes_l2_then_brackets_the_call_with_events_and_a_device_wide_sync():
    torch, flushed = fake_torch()
    clock = gt.DeviceClock(torch)
    value, seconds = clock.time_call(lambda x: (FakeEvent.log.append(("call", x)), x * 2)[1], 21)
    assert value == 42 and seconds == pytest.approx(2.5e-3) and flushed == [True]
    assert FakeEvent.log == [
        ("synchronize", None),
        ("record", "stream-0"),
        ("call", 21),
        ("record", "stream-0"),
        ("synchronize", None),
    ]


def test_a_patched_event_class_is_detected():
    torch, _ = fake_torch()
    clock = gt.DeviceClock(torch)
    assert not clock.tampered()

    class Faster(FakeEvent):
        def elapsed_time(self, end):
            return 0.001

    torch.cuda.Event = Faster
    assert clock.tampered()


def test_a_patched_elapsed_time_method_is_detected():
    torch, _ = fake_torch()
    clock = gt.DeviceClock(torch)
    original = FakeEvent.elapsed_time
    try:
        FakeEvent.elapsed_time = lambda self, end: 0.001
        assert clock.tampered()
    finally:
        FakeEvent.elapsed_time = original


def test_a_patched_synchronize_is_detected_and_not_used():
    torch, _ = fake_torch()
    clock = gt.DeviceClock(torch)
    calls = []
    torch.cuda.synchronize = lambda: calls.append("learner's")
    assert clock.tampered()
    clock.time_call(lambda: None)
    assert calls == []  # the clock keeps the synchronize captured before the learner's code ran


def test_the_gpu_memory_cap_is_set_for_the_process():
    torch, _ = fake_torch()
    gt.cap_memory(torch, 0.5)
    assert ("fraction", 0.5) in FakeEvent.log


# -- outputs -----------------------------------------------------------------------------------------------


def test_an_output_that_aliases_an_input_is_recognised():
    a, b = (1000, 400), (2000, 400)
    assert gt.shares_memory((1100, 16), [a, b])  # a view into A
    assert gt.shares_memory((2390, 64), [a, b])  # overlaps the end of B
    assert not gt.shares_memory((5000, 400), [a, b])
    assert not gt.shares_memory((1400, 100), [a, b])  # just after A


def test_results_cached_across_repetitions_fail_the_check_of_every_output():
    from grader.cases import Case, Timing
    from grader.exercise import load_exercise
    from grader.judge import judge_case, tolerance
    from grader.protocol import CallRecord, CaseRecord, RecordStatus
    from grader.reference import Expected
    from grader.results import CaseStatus
    from grader.timing import Peaks
    from tests.conftest import ROOT

    exercise = load_exercise(ROOT / "exercises" / "vectorise-pairwise")
    case = Case("timed", "pairwise_sq_dists", timing=Timing(arg_sets=((), (), ())))
    answers = [np.full((2, 2), float(i)) for i in range(3)]
    expected = Expected(RecordStatus.RETURNED, value=answers[0], values=tuple(answers), times=(1e-3,) * 3)
    cached = CaseRecord(
        RecordStatus.RETURNED,
        calls=tuple(CallRecord(RecordStatus.RETURNED, value=answers[0]) for _ in range(3)),  # the first, 3 times
        times=(1e-3, 1e-6, 1e-6),
    )
    rules = tolerance(case, exercise.rtol, exercise.atol)
    judged = judge_case(case, cached, expected, rules=rules, peaks=Peaks(1e15, 1e13)).result
    assert judged.status == CaseStatus.FAILED
    assert judged.message.startswith("Repetition 2")


# -- physics -------------------------------------------------------------------------------------------------


def test_a_matmul_faster_than_the_h200_can_compute_it_is_rejected():
    h200 = gpu_peaks.peaks_for("NVIDIA H200")
    n = 4096
    floor = gpu_peaks.floor_seconds(2.0 * n**3, 2.0 * 3 * n * n, h200)
    assert gt.below_floor([1e-6], floor)  # 137 GFLOP in a microsecond
    assert not gt.below_floor([2 * n**3 / 790e12], floor)  # what cuBLAS measures on an H200


def test_a_copy_faster_than_the_h200_memory_is_rejected():
    h200 = gpu_peaks.peaks_for("NVIDIA H200")
    floor = gpu_peaks.floor_seconds(0.0, 8e9, h200)  # 8 GB moved
    assert gt.below_floor([8e9 / 10e12], floor)
    assert not gt.below_floor([8e9 / 4.3e12], floor)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("NVIDIA H200", "NVIDIA H200"),
        ("NVIDIA H100 80GB HBM3", "NVIDIA H100 SXM"),
        ("NVIDIA H100 PCIe", "NVIDIA H100 PCIe"),
        ("NVIDIA A100-SXM4-80GB", "NVIDIA A100 SXM 80GB"),
        ("NVIDIA L40S", "NVIDIA L40S"),
        ("NVIDIA L4", "NVIDIA L4"),
    ],
)
def test_known_gpus_are_found_by_the_name_cuda_reports(name, expected):
    assert gpu_peaks.peaks_for(name).name == expected


def test_an_unknown_gpu_gets_the_generous_default():
    assert gpu_peaks.peaks_for("Some Future GPU").name == "unknown GPU"
    assert gpu_peaks.peaks_for("Some Future GPU").flops_per_s >= gpu_peaks.peaks_for("NVIDIA B200").flops_per_s
