"""bench/gpu/device_check.sh: what can be checked without a GPU — it refuses loudly, and its loops stop."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "bench" / "gpu" / "device_check.sh"


def run_check(tmp_path, fake_torch: str | None):
    env = {**os.environ, "PYTHON": sys.executable}
    if fake_torch is not None:
        (tmp_path / "torch").mkdir()
        (tmp_path / "torch" / "__init__.py").write_text(fake_torch)
        env["PYTHONPATH"] = str(tmp_path)
    out = tmp_path / "gpu.json"
    done = subprocess.run([str(SCRIPT), str(out)], capture_output=True, text=True, env=env, timeout=60)
    return done, out


def test_without_a_gpu_the_device_check_stops_with_status_2_and_says_why(tmp_path):
    done, out = run_check(tmp_path, "class cuda:\n    @staticmethod\n    def is_available():\n        return False\n")
    assert done.returncode == 2
    assert "NO GPU" in done.stderr and "torch.cuda.is_available() is False" in done.stderr
    assert not out.exists()  # nothing is written that could pass for a measurement


def test_without_pytorch_the_device_check_says_so(tmp_path):
    pytest.importorskip("numpy")
    try:
        import torch  # noqa: F401

        pytest.skip("this interpreter has PyTorch")
    except ImportError:
        pass
    done, _ = run_check(tmp_path, None)
    assert done.returncode == 2 and "PyTorch is not installed" in done.stderr


def test_the_harness_loop_stops_once_the_times_are_steady():
    sys.path.insert(0, str(ROOT))
    from bench.gpu.device_check import harness_time
    from grader.harness import gpu_timing as gt
    from tests.gpu.test_gpu_timing import fake_torch

    torch, _ = fake_torch()
    clock = gt.DeviceClock(torch)
    median, reps = harness_time(torch, clock, lambda a: a, lambda: (1,), budget_s=30.0, warmup=1)
    assert median == pytest.approx(2.5e-3) and reps == gt.MIN_REPS
