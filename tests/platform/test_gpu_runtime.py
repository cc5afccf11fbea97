"""A GPU worker refuses to start under gVisor: its runners' exec allow-list needs Landlock (docs/gpu.md)."""

from __future__ import annotations

from tests.platform.test_pool_secret import start


def test_a_gpu_worker_under_gvisor_refuses_to_start_and_says_why(tmp_path):
    done = start(tmp_path, GRADER_CASE_POOL_SECRET="s", SANDBOX_GPU="1", SANDBOX_RUNTIME="runsc")

    assert done.returncode != 0
    assert "SANDBOX_GPU needs a runtime with Landlock" in done.stderr


def test_a_gpu_worker_under_runc_starts(tmp_path):
    done = start(tmp_path, GRADER_CASE_POOL_SECRET="s", SANDBOX_GPU="1")

    assert done.returncode == 0, done.stderr[-2000:]
