"""Small pieces of the supervisor that must never raise on what a learner can cause."""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest

from grader.harness import supervisor
from grader.harness.frames import FrameError, FrameReader, FrameTooLarge, encode_frame, split_blobs


def test_every_signal_number_has_a_name_real_time_ones_included():
    assert supervisor.signal_name(signal.SIGSEGV) == "SIGSEGV"
    assert supervisor.signal_name(signal.SIGRTMIN + 6) == "SIGRTMIN+6"
    assert supervisor.signal_name(200) == "SIG200"


def test_a_result_frame_with_an_unexpected_key_is_a_protocol_violation():
    with pytest.raises(supervisor.Protocol):
        supervisor.check_result({"type": "result", "status": "returned", "case": "c1"}, b"")


def test_blobs_must_add_up_to_the_payload_exactly():
    meta = {"blobs": [["b0", 3]]}
    assert split_blobs(meta, b"abc", str.isalnum) == {"b0": b"abc"}
    for payload in (b"ab", b"abcd"):
        with pytest.raises(FrameError):
            split_blobs(meta, payload, str.isalnum)


def test_the_frame_reader_refuses_a_payload_over_its_budget_before_buffering_it():
    reader = FrameReader(max_payload=10)
    reader.feed(encode_frame({"type": "result"}, payload_len=1 << 30))
    with pytest.raises(FrameTooLarge):
        reader.next_frame()


def test_the_learners_time_is_given_back_only_up_to_the_hard_stop():
    budget = supervisor.Budget(wall_s=1.0, hard_s=2.0)
    budget.give_back(5.0)
    assert budget.deadline == budget.hard


@pytest.mark.parametrize("blobs", [[["b0", -8]], [["b0", 2**62]], [["b1", 0.5]], [["../b3", 8]], [["b4"]], "x"])
def test_a_lying_blob_table_is_a_protocol_violation_not_a_crash(blobs):
    with pytest.raises(supervisor.Protocol):
        supervisor.check_result({"type": "result", "status": "returned", "value": 1, "blobs": blobs}, b"\0" * 8)


def test_spares_import_what_the_backend_names_and_nothing_else():
    assert supervisor.spare_settings({"TENSORDOJO_PRELOAD": "numpy,torch"}) == (["numpy", "torch"], 2)
    assert supervisor.spare_settings({"TENSORDOJO_PRELOAD": "numpy,os,subprocess"}) == (["numpy"], 2)
    assert supervisor.spare_settings({"TENSORDOJO_SPARES": "0"}) == ([], 0)
    assert supervisor.spare_settings({"TENSORDOJO_SPARES": "99"}) == ([], 3)
    assert supervisor.spare_settings({"TENSORDOJO_SPARES": "many"}) == ([], 2)


def test_a_spare_runner_is_started_before_the_job_and_says_when_its_imports_are_done():
    spares = supervisor.Spares([], 2)
    try:
        assert len(spares.pids()) == 2
        spares.settle(time.monotonic() + 30)
        assert all(child.preloaded for child in spares.ready)
        child = spares.take()
        assert child is not None and child.alive() and child.pid not in spares.pids()
        child.discard()
        supervisor.Spares._end(child)
    finally:
        spares.stop()
    assert spares.take() is None


def test_a_spare_killed_from_outside_is_never_handed_out():
    spares = supervisor.Spares([], 1)
    try:
        victim = spares.ready[0]
        os.kill(victim.pid, signal.SIGKILL)
        victim.poll(time.monotonic() + 5)
        assert spares.take() is None  # the phase starts a fresh runner instead
    finally:
        spares.stop()


def test_a_runner_seals_itself_before_it_says_anything_else():
    spares = supervisor.Spares([], 1)
    try:
        child = spares.ready[0]
        child.wait_sealed(time.monotonic() + 30)
        assert child.sealed and not child.preloaded  # "sealed" came first, then "preloaded"
        child.wait_preloaded(time.monotonic() + 30)
        assert child.preloaded
    finally:
        spares.stop()


def test_a_fill_during_a_job_hands_back_only_sealed_spares():
    spares = supervisor.Spares([], 0)
    spares.count = 2
    try:
        spares.fill(2, sealed_by=time.monotonic() + 30)
        assert len(spares.ready) == 2 and all(child.sealed for child in spares.ready)
    finally:
        spares.stop()


def test_a_protocol_channel_cannot_be_reopened_through_proc_nor_used_backwards():
    read_end, write_end = supervisor.one_way_channel()
    try:
        for fd in (read_end, write_end):
            with pytest.raises(OSError):  # ENXIO: a socket, unlike a pipe, has no path to open again
                os.close(os.open(f"/proc/self/fd/{fd}", os.O_RDWR))
        os.write(write_end, b"hello")
        assert os.read(read_end, 5) == b"hello"
        with pytest.raises(OSError):  # the runner cannot write into its request channel
            os.write(read_end, b"back")
    finally:
        os.close(read_end)
        os.close(write_end)


def test_a_spare_whose_pid_now_names_another_process_is_not_spared():
    spares = supervisor.Spares([], 1)
    try:
        child = spares.ready[0]
        assert spares.pids() == {child.pid}
        child.started = (child.started or 0) + 1  # as if the spare had died and its PID been reused
        assert spares.pids() == frozenset()
    finally:
        spares.stop()


def test_a_zombie_is_still_swept_since_its_other_threads_may_run():
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    try:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with open(f"/proc/{pid}/stat", "rb") as handle:
                if handle.read().rpartition(b")")[2].split()[0] == b"Z":
                    break
            time.sleep(0.01)
        assert pid in supervisor.living_pids()  # a main thread that exited reads Z; SIGKILL ends the rest
    finally:
        os.waitpid(pid, 0)
    assert pid not in supervisor.living_pids()


def test_no_runner_to_be_had_after_the_learners_code_ran_is_the_learners_crash(monkeypatch):
    """Its processes may fill the table, or it may have lowered our limits: not the grader's error."""

    def no_process(preload):
        raise OSError(11, "Resource temporarily unavailable")

    job = {
        "limits": {"wall_s": 5, "result_max_bytes": 1 << 20, "output_keep_bytes": 1000, "output_max_bytes": 10000},
        "cases": [{"id": "c1", "entry": "solve", "args": []}],
        "phases": [{"name": "hidden", "cases": ["c1"]}],
    }
    run = supervisor.Run(job, b"", {})
    monkeypatch.setattr(sys.modules[supervisor.Run.__module__], "Child", no_process)  # where the run finds it
    run.learner_ran = True
    run._run_child(["c1"], supervisor.Output(0, 10), first=True)
    assert run.report["cases"]["c1"] == {"status": "aborted", "cause": "crashed_at_start"}
    assert run.report["harness_errors"] == []

    fresh = supervisor.Run(job, b"", {})  # before any learner code: ours, and it says so
    with pytest.raises(OSError):
        fresh._run_child(["c1"], supervisor.Output(0, 10), first=True)


def test_a_frame_with_a_number_past_every_float_is_malformed_not_infinite():
    """'1e400' parses as inf, which the report (strict JSON) could not hold: the learner's broken frame."""
    reader = FrameReader(max_payload=10)
    header = b'{"type": "result", "status": "returned", "value": 1e400}'
    reader.feed(len(header).to_bytes(4, "big") + (0).to_bytes(4, "big") + header)
    with pytest.raises(FrameError):
        reader.next_frame()
