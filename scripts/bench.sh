#!/usr/bin/env bash
# `make bench`: every benchmark of bench/README.md, each against a baseline measured in the same run.
# Prints one table and writes bench/results/*.json (summary.json: the issue's keys).
#   scripts/bench.sh              the issue's sizes (tens of minutes)
#   scripts/bench.sh --quick      small sizes, for development
#   scripts/bench.sh --only latency --runs 10    see `.venv/bin/python bench/run.py --help`
source "$(dirname "$0")/lib.sh"
"$ROOT/scripts/venv.sh"
"$ROOT/scripts/images.sh"
cd "$ROOT"
exec "$PY" bench/run.py "$@"
