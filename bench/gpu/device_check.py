"""The GPU device check's Python half (run it through device_check.sh): see that script for what it covers.

Every part has a time budget so the whole stays under 10 minutes on an H200; the JSON is written after each
part, so a run cut short still leaves what it measured.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from grader import gpu_peaks  # noqa: E402
from grader.harness import gpu_timing as gt  # noqa: E402

AGREEMENT_SIZES = (2048, 4096, 8192)
AGREEMENT_LIMIT_PCT = 5.0


def direct_event_loop(torch, function, args, reps: int = 30, warmup: int = 5) -> float:
    """The textbook measurement: warm up, then CUDA events around each call with L2 flushed; the median."""
    flush = torch.empty(gt.L2_FLUSH_BYTES // 4, dtype=torch.int32, device="cuda")
    for _ in range(warmup):
        function(*args)
    times = []
    for _ in range(reps):
        flush.zero_()
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        function(*args)
        end.record()
        torch.cuda.synchronize()
        times.append(start.elapsed_time(end) / 1e3)
    return statistics.median(times)


def harness_time(torch, clock, function, make_args, budget_s: float = 10.0, warmup: int = 3) -> tuple[float, int]:
    """The harness's way: warm-up on its own inputs, fresh inputs per repetition, stop at 1% standard error."""
    for _ in range(warmup):
        clock.time_call(function, *make_args())
    times, started = [], time.monotonic()
    while not gt.enough_repetitions(times, spent_s=time.monotonic() - started, budget_s=budget_s):
        _, seconds = clock.time_call(function, *make_args())
        times.append(seconds)
    return statistics.median(times), len(times)


def timing_agreement(torch, clock) -> dict:
    rows = []
    for n in AGREEMENT_SIZES:
        A, B = (torch.randn(n, n, dtype=torch.bfloat16, device="cuda") for _ in range(2))
        direct = direct_event_loop(torch, torch.matmul, (A, B))
        fresh = [(torch.randn(n, n, dtype=torch.bfloat16, device="cuda"),) * 2 for _ in range(8)]
        counter = iter(range(10**9))
        harness, reps = harness_time(torch, clock, torch.matmul, lambda f=fresh, c=counter: f[next(c) % len(f)])
        rows.append(
            {
                "n": n,
                "direct_s": direct,
                "harness_s": harness,
                "harness_reps": reps,
                "tflops_direct": 2 * n**3 / direct / 1e12,
                "difference_pct": abs(harness - direct) / direct * 100,
            }
        )
    worst = max(r["difference_pct"] for r in rows)
    return {"sizes": rows, "timing_agreement_pct": worst, "agree": worst <= AGREEMENT_LIMIT_PCT}


def load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def exercise_times(torch, clock, slug: str, entry: str, lines: dict[str, Path]) -> dict:
    """Reference and line-to-beat times over the exercise's timed shapes (trusted code, in process)."""
    import numpy as np

    from grader.exercise import load_exercise

    exercise = load_exercise(ROOT / "exercises" / slug)
    cases = [c for c in exercise.build_cases() if c.is_timed]
    sources = {"reference": exercise.path / "solution.py", **lines}
    out = {"shapes": [c.name for c in cases], "version": exercise.version}  # `exercises lines --from-json` keeps it
    peaks = gpu_peaks.peaks_for(torch.cuda.get_device_name())
    for label, path in sources.items():
        function = getattr(load(path, f"{slug}_{label}"), entry)
        medians = []
        for case in cases:
            sets = [
                tuple(torch.from_numpy(np.asarray(t.data)).to("cuda", torch.bfloat16) for t in args)
                for args in case.timing.arg_sets
            ]
            counter = iter(range(10**9))
            median, _ = harness_time(torch, clock, function, lambda s=sets, c=counter: s[next(c) % len(s)], budget_s=5)
            floor = gpu_peaks.floor_seconds(case.timing.flops, case.timing.bytes_moved, peaks)
            if median < floor:
                raise AssertionError(f"{slug} {label} {case.name}: {median} s is below the physical floor {floor} s")
            medians.append(median)
        out[label] = {"median_s": medians, "geometric_mean_s": gt.geometric_mean(medians)}
    return out


def lines_of(slug: str) -> dict[str, Path]:
    """The exercise's line files (lines/<name>.py), as the leaderboard lists them (grader/lines.py)."""
    from grader.lines import line_files

    return {name: line.path for name, line in line_files(ROOT / "exercises" / slug).items()}


def exercise_checks() -> dict:
    from grader.authoring import check_exercise
    from grader.backends.process_backend import ProcessBackend
    from grader.reference import ExpectedStore

    backend = ProcessBackend(allow=True, python=sys.executable, gpu=True)
    store = ExpectedStore(ROOT / "var" / "gpu-check-cache")
    results = {}
    for slug in ("triton-matmul", "fused-attention-gpu"):
        report = check_exercise(ROOT / "exercises" / slug, backend, store, seeds=1)
        results[slug] = {
            "ok": report.ok,
            "seconds": round(report.seconds, 1),
            "steps": [{"what": s.what, "ok": s.ok, "detail": s.detail[:400]} for s in report.steps],
        }
    return results


def exec_lock() -> dict:
    """The GPU runner's exec lock (Landlock) with a Triton kernel compiled and launched under it: its own process."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gpu" / "exec_lock.py")], capture_output=True, text=True, timeout=240
    )
    lines = done.stdout.strip().splitlines()
    try:
        return json.loads(lines[-1])
    except (IndexError, ValueError):
        return {"ok": False, "status": done.returncode, "stdout": done.stdout[-2000:], "stderr": done.stderr[-3000:]}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    import torch

    if not torch.cuda.is_available():
        print("device check: NO GPU (torch.cuda.is_available() is False)", file=sys.stderr)
        return 2
    name = torch.cuda.get_device_name()
    peaks = gpu_peaks.peaks_for(name)
    report: dict = {
        "device": name,
        "torch": torch.__version__,
        "python": sys.version.split()[0],
        "peaks_row": peaks.name,
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    out = Path(args.out)

    def save():
        out.write_text(json.dumps(report, indent=2, default=str) + "\n")

    clock = gt.DeviceClock(torch)
    parts = [
        ("timing", lambda: timing_agreement(torch, clock)),
        ("anticheat", lambda: __import__("bench.gpu.anticheat", fromlist=["run"]).run(torch)),
        ("triton-matmul", lambda: exercise_times(torch, clock, "triton-matmul", "matmul", lines_of("triton-matmul"))),
        (
            "fused-attention-gpu",
            lambda: exercise_times(torch, clock, "fused-attention-gpu", "attention", lines_of("fused-attention-gpu")),
        ),
        ("exercise_checks", exercise_checks),
        ("exec_lock", exec_lock),
    ]
    failed = False
    for key, part in parts:
        started = time.monotonic()
        print(f"== {key}", flush=True)
        try:
            report[key] = part()
        except Exception:  # noqa: BLE001 - record what broke and go on to the next part
            report[key] = {"error": traceback.format_exc()[-3000:]}
            failed = True
        report.setdefault("seconds", {})[key] = round(time.monotonic() - started, 1)
        if key == "timing" and "timing_agreement_pct" in report[key]:
            report["timing_agreement_pct"] = report[key]["timing_agreement_pct"]
        if key == "anticheat" and isinstance(report[key], list):
            report["anticheat_passed"] = sum(r["passed"] for r in report[key])
            report["anticheat_total"] = len(report[key])
        print(json.dumps(report[key], default=str)[:2000], flush=True)
        save()
    ok = (
        not failed
        and report.get("timing", {}).get("agree")
        and report.get("anticheat_passed") == report.get("anticheat_total")
        and all(r.get("ok") for r in report.get("exercise_checks", {}).values())
        and report.get("exec_lock", {}).get("ok")
    )
    report["ok"] = bool(ok)
    save()
    print(f"device check {'PASSED' if ok else 'FAILED'}: {out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
