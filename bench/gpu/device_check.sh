#!/usr/bin/env bash
# The GPU device check (issue 15): one run, under 10 minutes, on a GPU machine WITHOUT Docker, with that
# machine's own Python (PyTorch + Triton installed). Writes bench/results/gpu.json (or $1).
#
#   bench/gpu/device_check.sh [out.json]
#
# What it runs (bench/gpu/device_check.py): the device and its row in grader/gpu_peaks.py; the harness's GPU
# clock (grader/harness/gpu_timing.py) against a direct CUDA-event loop of torch.matmul at three sizes (must
# agree within 5%); every anti-cheat scenario on the real GPU (bench/gpu/anticheat.py); the reference and
# line-to-beat times of both GPU exercises; and `exercises check` of both through the process backend
# with the GPU (grader.authoring.check_exercise, ProcessBackend(gpu=True)); and the GPU runner's exec lock
# (bench/gpu/exec_lock.py: Landlock on, a Triton kernel compiled cold and launched, python3 refused by every route).
# Without a GPU it stops at once with exit status 2 and says so: nothing here can be faked on a CPU.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PY="${PYTHON:-python3}"
OUT="${1:-$ROOT/bench/results/gpu.json}"
if ! "$PY" - <<'PY'
import sys
try:
    import torch
except ImportError:
    sys.exit("device check: PyTorch is not installed for this Python")
if not torch.cuda.is_available():
    sys.exit("device check: NO GPU — torch.cuda.is_available() is False. This check needs a CUDA GPU; "
             "the CPU-runnable parts are tests/gpu (pytest) and `manage.py exercises check` (interpreter mode).")
PY
then
    exit 2
fi
mkdir -p "$(dirname "$OUT")"
cd "$ROOT"
# A hard stop inside the 10 minutes the check is sized for (each part also has its own budget).
exec timeout --signal=TERM --kill-after=10 580 env PYTHONUNBUFFERED=1 PYTHONPATH="$ROOT" \
    "$PY" "$ROOT/bench/gpu/device_check.py" --out "$OUT"
