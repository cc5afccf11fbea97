#!/usr/bin/env bash
# `make bench`: every benchmark of bench/README.md, each against a baseline measured in the same run.
# Prints one table and writes bench/results/*.json (summary.json: the issue's keys).
#   scripts/bench.sh              the issue's sizes (tens of minutes)
#   scripts/bench.sh --quick      small sizes, for development
#   scripts/bench.sh --only latency --runs 10    see `.venv/bin/python bench/run.py --help`
#   FUZZ_SECONDS=0 scripts/bench.sh ...           without the parsers' fuzz run first (default 600 s, 30 with --quick)
source "$(dirname "$0")/lib.sh"
"$ROOT/scripts/venv.sh"
"$ROOT/scripts/images.sh"
cd "$ROOT"
# The untrusted-data parsers under mutated frames, .npy headers and reports (bench/fuzz.py): minutes, millions.
fuzz_s="${FUZZ_SECONDS:-600}"
[[ " $* " == *" --quick "* ]] && fuzz_s="${FUZZ_SECONDS:-30}"
if [ "$fuzz_s" != 0 ]; then
    "$PY" bench/fuzz.py --seconds "$fuzz_s"
    # The sandbox's side again on the sandbox's own Python (3.13), half as long.
    docker run --rm --network none --entrypoint python3 -v "$ROOT:/src:ro" \
        "${SANDBOX_STDLIB_IMAGE:-tensordojo/sandbox-stdlib:latest}" \
        /src/bench/fuzz.py --inside-only --seconds "$((fuzz_s / 2))"
fi
exec "$PY" bench/run.py "$@"
