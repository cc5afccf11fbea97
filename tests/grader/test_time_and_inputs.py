"""The learner's time is its runner's CPU time, and its inputs reach it without our copies.

- supervisor.Budget charges CPU seconds (what other processes on a busy machine use is not
  the learner's), with a wall-clock backstop of 3x the limit, at most 2 s past it, and never
  past the hard stop.
- codec.load_array wraps the runner's writable buffer (runner._split) without copying it, so
  the timed window holds no decode of ours worth skipping; a read-only blob is copied as before.
"""

from __future__ import annotations

import io
import os
import sys
import time

import numpy as np

from grader.harness import supervisor

sys.path.insert(0, os.path.dirname(supervisor.__file__))
import codec  # noqa: E402  - the runner's own module, as it imports it
import processes  # noqa: E402

codec.load_numpy()


def test_the_time_limit_is_charged_in_cpu_seconds_with_a_wall_clock_backstop():
    budget = supervisor.Budget(wall_s=1.0, hard_s=9.0)

    assert 2.9 < budget.left() <= 3.0  # 3x the limit of wall clock
    assert budget.cpu_left(0.4) == 0.6
    budget.spent = 0.8  # an earlier runner's CPU seconds
    assert budget.cpu_left(0.3) < 0


def test_the_backstop_is_at_most_two_seconds_past_the_limit_and_never_past_the_hard_stop():
    assert 11.9 < supervisor.Budget(wall_s=10.0, hard_s=18.0).left() <= 12.0
    assert supervisor.Budget(wall_s=10.0, hard_s=11.0).left() <= 11.0


def test_a_process_cpu_time_counts_its_work_not_its_sleep():
    before = processes.cpu_ticks(os.getpid())
    time.sleep(0.3)
    slept = processes.cpu_ticks(os.getpid()) - before
    end = time.process_time() + 0.3
    while time.process_time() < end:
        pass
    worked = processes.cpu_ticks(os.getpid()) - before - slept

    assert slept / processes.CLOCK_TICKS < 0.1
    assert worked / processes.CLOCK_TICKS >= 0.2


def _npy(array) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def test_an_argument_array_is_a_writable_view_of_the_runners_buffer_not_a_copy():
    array = np.arange(12.0).reshape(3, 4)
    buffer = memoryview(bytearray(_npy(array)))

    loaded = codec.load_array(buffer)

    assert np.array_equal(loaded, array) and loaded.dtype == array.dtype
    assert np.shares_memory(loaded, np.frombuffer(buffer, dtype=np.uint8))
    loaded[0, 0] = 42.0  # the learner may write into its own inputs
    assert loaded[0, 0] == 42.0


def test_a_read_only_blob_or_a_fortran_array_is_still_read_by_a_copy():
    array = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    for blob in (_npy(array), memoryview(bytearray(_npy(array)))):
        loaded = codec.load_array(blob)
        assert np.array_equal(loaded, array)
        assert loaded.flags.writeable
