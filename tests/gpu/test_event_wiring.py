"""The CUDA-event figure on its way out of the sandbox: validated by the supervisor, typed by the report,
counted by the grader only as far as the outside clock confirms it. Simulated without a GPU."""

from __future__ import annotations

import io
import json
import tarfile

import numpy as np
import pytest

from grader.cases import Case, Timing
from grader.exercise import load_exercise
from grader.harness import supervisor
from grader.judge import judge_case, tolerance
from grader.protocol import CallRecord, CaseRecord, RecordStatus, ReportError, parse_report
from grader.reference import Expected
from grader.results import CaseStatus
from grader.timing import Peaks
from tests.conftest import ROOT

ANSWERS = [np.full((2, 2), float(i)) for i in range(3)]


def run_case_with(records: list[dict]) -> dict:
    """The supervisor's handling of one timed case whose repetitions answered ``records``."""
    job = {
        "limits": {"wall_s": 10, "result_max_bytes": 1 << 20, "output_keep_bytes": 0, "output_max_bytes": 1 << 20},
        "cases": [],
        "phases": [],
    }
    run = supervisor.Run(job, b"", {})
    answers = iter(records)
    run._call = lambda child, case, tree, index: (dict(next(answers)), 0.01)
    return run._run_case(None, {"id": "c0", "entry": "f", "timing": {"warmup": [], "reps": [[], [], []]}})


def test_the_supervisor_keeps_only_finite_non_negative_numbers_and_a_bool_from_the_learner():
    records = [
        {"status": "returned", "value": 1, "device_s": 0.002, "tampered": False},
        {"status": "returned", "value": 1, "device_s": "0.001", "tampered": "no"},
        {"status": "returned", "value": 1, "device_s": -1.0},
    ]
    case = run_case_with(records)
    assert case["device_times"] == [0.002, None, None]
    assert case["tampered"] is True  # anything but False counts as tampering
    assert all("device_s" not in call and "tampered" not in call for call in case["calls"])


def test_without_event_figures_the_case_report_is_unchanged():
    case = run_case_with([{"status": "returned", "value": 1}] * 3)
    assert set(case) == {"status", "calls", "times"}


def report_with(case: dict) -> bytes:
    data = {"format": 2, "cases": {"c0": case}, "phases": {}, "limits_hit": [], "harness_errors": []}
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        payload = json.dumps(data).encode()
        info = tarfile.TarInfo("results.json")
        info.size = len(payload)
        archive.addfile(info, io.BytesIO(payload))
    return out.getvalue()


def test_the_report_types_event_figures():
    calls = [{"status": "returned", "value": 1}] * 2
    stream = report_with({"status": "returned", "calls": calls, "times": [0.01, 0.02], "device_times": [0.001, None]})
    record = parse_report(stream, 1 << 20).cases["c0"]
    assert record.device_times == (0.001, None) and record.tampered is False


@pytest.mark.parametrize("device", ["0.1", [[0.1]], -0.5, {"a": 1}])
def test_a_malformed_event_list_is_our_bug_and_says_so(device):
    calls = [{"status": "returned", "value": 1}]
    stream = report_with({"status": "returned", "calls": calls, "times": [0.01], "device_times": [device]})
    with pytest.raises(ReportError):
        parse_report(stream, 1 << 20)


def judge(outside, device, gaps, tampered=False):
    exercise = load_exercise(ROOT / "exercises" / "vectorise-pairwise")
    case = Case("timed", "pairwise_sq_dists", timing=Timing(arg_sets=((), (), ())))
    expected = Expected(RecordStatus.RETURNED, value=ANSWERS[0], values=tuple(ANSWERS), times=(0.01,) * 3, gaps=gaps)
    record = CaseRecord(
        RecordStatus.RETURNED,
        calls=tuple(CallRecord(RecordStatus.RETURNED, value=a) for a in ANSWERS),
        times=tuple(outside),
        device_times=tuple(device),
        tampered=tampered,
    )
    rules = tolerance(case, exercise.rtol, exercise.atol)
    return judge_case(case, record, expected, rules=rules, peaks=Peaks(1e15, 1e13)).result


def test_confirmed_event_times_are_what_a_gpu_case_counts():
    judged = judge(outside=[0.0111] * 3, device=[0.0002] * 3, gaps=(0.011, 0.011, 0.011))
    assert judged.status == CaseStatus.PASSED and judged.times == [0.0002] * 3


def test_event_times_the_outside_clock_contradicts_are_replaced_by_its_bound():
    # 40 ms of work hidden from the events (another stream, a lazy result): the outside clock shows it.
    judged = judge(outside=[0.051] * 3, device=[1e-6] * 3, gaps=(0.011,) * 3)
    assert judged.times == [pytest.approx(0.051 - 0.011)] * 3  # the reference's median gap, no slack


def test_a_tampered_clock_leaves_the_outside_times():
    judged = judge(outside=[0.0115] * 3, device=[0.0002] * 3, gaps=(0.011,) * 3, tampered=True)
    assert judged.times == [0.0115] * 3


def test_without_a_reference_gap_event_figures_are_ignored():
    judged = judge(outside=[0.0115] * 3, device=[0.0002] * 3, gaps=None)
    assert judged.times == [0.0115] * 3
