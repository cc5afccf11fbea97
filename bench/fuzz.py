"""`make bench`: the untrusted-data parsers under millions of hostile inputs, for minutes.

    .venv/bin/python bench/fuzz.py                  # 600 s (what scripts/bench.sh runs; FUZZ_SECONDS)
    .venv/bin/python bench/fuzz.py --seconds 20     # a quick look
    docker run --rm --network none --entrypoint python3 -v "$PWD:/src:ro" tensordojo/sandbox-stdlib:latest \
        /src/bench/fuzz.py --inside-only --seconds 300   # the sandbox's side on its own Python 3.13

The same mutations as the bounded fuzz tests (tests/fuzz/mutations.py: byte flips, truncations,
insertions, deep nesting, a wrong type in every field, declared sizes far past the bytes), thrown
at both sides of the sandbox boundary until the time is up:

- inside (the supervisor, sandbox side): a runner's result channel through frames.FrameReader
  and untrusted.check_result; .npy blobs through npy.check. Allowed outcomes: accepted, refused
  (the runner's protocol error), too large (its result limit).
- outside (the grader): every accepted result, in the report the supervisor would write, through
  grader.protocol.parse_report, which must read it (never ReportError); and mutated reports,
  which must read as a Report or ReportError.

Prints how many inputs went to each parser and what came out; anything else that came out is
counted as "escaped", its first examples are printed, and the exit status is 1.
Writes bench/results/fuzz.json (``--inside-only``, for the sandbox image without NumPy: prints only).
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "grader" / "harness"), str(ROOT / "tests" / "fuzz")]

import mutations  # noqa: E402

RESULTS = ROOT / "bench" / "results"
BATCH = 500


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--inside-only", action="store_true", help="the sandbox's parsers only (no NumPy needed)")
    args = parser.parse_args()
    if not args.inside_only:
        from grader.protocol import ReportError, parse_report

    rng = random.Random(args.seed)
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    escaped: list[str] = []
    seeds = mutations.seed_frames()
    started = time.monotonic()
    deadline = started + args.seconds

    def note(parser_name: str, call, data) -> tuple:
        try:
            outcome = call(data)
        except Exception as exc:  # noqa: BLE001 - the finding: a parser let something else out
            counts[parser_name]["escaped " + type(exc).__name__] += 1
            if len(escaped) < 5:
                escaped.append(f"{parser_name}: {repr(data)[:300]}\n{traceback.format_exc(limit=4)}")
            return ("escaped",)
        counts[parser_name][outcome[0]] += 1
        return outcome

    def report(data: bytes) -> tuple:
        try:
            parse_report(data, 1 << 26)
        except ReportError:
            return ("report_error",)
        return ("read",)

    def accepted_report(records: list) -> tuple:
        try:
            parse_report(mutations.supervisor_report(records), 1 << 26)
        except ReportError as exc:  # what the supervisor accepted, the grader must read: a ReportError escapes here
            raise AssertionError(f"the grader cannot read what the supervisor accepted: {exc}") from exc
        return ("read",)

    while time.monotonic() < deadline:
        accepted = []
        for data in mutations.hostile_frames(rng, BATCH):
            outcome = note("inside: result frame", lambda d: mutations.read_result(d, keep_blobs=True), data)
            if outcome[0] == mutations.ACCEPTED:
                accepted.append((outcome[1], outcome[2]))
        for data in mutations.hostile_npys(rng, BATCH):
            note("inside and outside: .npy header", mutations.check_npy, data)
        if args.inside_only:
            continue
        for start in range(0, len(accepted), 3):
            note("outside: report of accepted results", accepted_report, accepted[start : start + 3])
        for _ in range(BATCH // 10):
            record, blobs = mutations.read_result(rng.choice(seeds), keep_blobs=True)[1:]
            stream = mutations.mutate(rng, mutations.supervisor_report([(record, blobs)]))
            note("outside: mutated report", report, stream)

    elapsed = time.monotonic() - started
    total = sum(sum(counter.values()) for counter in counts.values())
    escapes = sum(n for counter in counts.values() for kind, n in counter.items() if kind.startswith("escaped"))
    python = sys.version.split()[0]
    print(f"fuzz: {total:,} inputs in {elapsed:.0f} s ({total / elapsed:,.0f}/s), seed {args.seed}, Python {python}")
    for name, counter in counts.items():
        parts = ", ".join(f"{kind} {n:,}" for kind, n in sorted(counter.items()))
        print(f"  {name:38} {sum(counter.values()):>10,}  {parts}")
    print(f"  escaped (anything but a value or the sender's error): {escapes}")
    for example in escaped:
        print(example)
    if args.inside_only:
        return 1 if escapes else 0
    RESULTS.mkdir(parents=True, exist_ok=True)
    summary = {
        "inputs": total,
        "seconds": round(elapsed, 1),
        "escaped": escapes,
        "seed": args.seed,
        "python": python,
        "by_parser": {name: dict(counter) for name, counter in counts.items()},
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    (RESULTS / "fuzz.json").write_text(json.dumps(summary, indent=1) + "\n")
    return 1 if escapes else 0


if __name__ == "__main__":
    sys.exit(main())
