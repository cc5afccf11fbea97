"""grade() of a timed exercise with a stocked timed draw and with an empty stock, through the real Docker sandbox.

    .venv/bin/python bench/timed_stock.py [--runs 10] [--exercise vectorise-pairwise] [--runtime runsc]

Two stores with the same pool entry's reference cached: one whose timed stock holds a draw per
run (filled first, and timed: that cost is the maintenance queue's), one whose stock is empty
(each grade then runs the reference after the learner's run, as before the stock). The runs
alternate, so both see the same machine. Prints both distributions and the sandbox runs per
grade; writes bench/results/timed_stock.json (timed_stock-<runtime>.json with --runtime).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader import timed_stock  # noqa: E402
from grader.backends.docker_backend import DockerBackend  # noqa: E402
from grader.exercise import ExerciseFolder, load_exercise  # noqa: E402
from grader.grading import grade  # noqa: E402
from grader.reference import ExpectedStore  # noqa: E402
from grader.timed_stock import TimedStock  # noqa: E402
from tests.support.backends import CountingBackend  # noqa: E402


def summary(times: list[float]) -> dict:
    return {
        "median_s": round(statistics.median(times), 3),
        "mean_s": round(statistics.mean(times), 3),
        "min_s": round(min(times), 3),
        "max_s": round(max(times), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--exercise", default="vectorise-pairwise")
    parser.add_argument("--runtime", default=None, help="the sandbox's OCI runtime, e.g. runsc (default: the engine's)")
    args = parser.parse_args()
    exercise = load_exercise(ROOT / "exercises" / args.exercise)
    backend = CountingBackend(DockerBackend(runtime=args.runtime))
    with tempfile.TemporaryDirectory() as stocked_dir, tempfile.TemporaryDirectory() as empty_dir:
        report = measure(exercise, backend, ExpectedStore(Path(stocked_dir)), ExpectedStore(Path(empty_dir)), args)
    print(json.dumps(report, indent=2))
    out = ROOT / "bench" / "results" / f"timed_stock{'-' + args.runtime if args.runtime else ''}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")


def measure(
    exercise: ExerciseFolder,
    backend: CountingBackend,
    stocked: ExpectedStore,
    empty: ExpectedStore,
    args: argparse.Namespace,
) -> dict:
    for store in (stocked, empty):
        store.get(exercise, backend, 0)  # the pool entry's reference, cached in both: not what is measured

    started = time.perf_counter()
    made = TimedStock(stocked, exercise, backend).fill(args.runs)
    fill_s = time.perf_counter() - started

    times: dict[str, list[float]] = {"stocked": [], "empty": []}
    runs: dict[str, list[int]] = {"stocked": [], "empty": []}
    for _ in range(args.runs):
        for name, store in (("stocked", stocked), ("empty", empty)):
            before = backend.runs
            started = time.perf_counter()
            result = grade(exercise, exercise.solution, backend=backend, store=store, pool_index=0)
            times[name].append(time.perf_counter() - started)
            runs[name].append(backend.runs - before)
            assert result.verdict == "accepted", result.message

    return {
        "exercise": args.exercise,
        "runtime": args.runtime or "engine default",
        "runs": args.runs,
        "stocked": {**summary(times["stocked"]), "sandbox_runs_per_grade": sorted(set(runs["stocked"]))},
        "empty": {**summary(times["empty"]), "sandbox_runs_per_grade": sorted(set(runs["empty"]))},
        "fill": {"draws": made, "seconds": round(fill_s, 2), "per_draw_s": round(fill_s / max(made, 1), 3)},
        "counts": timed_stock.counts(),
        "raw_s": {name: [round(t, 3) for t in values] for name, values in times.items()},
    }


if __name__ == "__main__":
    main()
