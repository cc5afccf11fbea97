#!/usr/bin/env bash
# Run the benchmarks (results are recorded by hand in bench/README.md with the command used).
source "$(dirname "$0")/lib.sh"
"$ROOT/scripts/venv.sh"
"$ROOT/scripts/images.sh"
cd "$ROOT"
say "grading latency (Docker sandbox)"
"$PY" bench/grade_latency.py --runs 20
say "leaderboards with 10,000 learners and 500,000 submissions (SQLite)"
"$PY" bench/leaderboards.py
say "draining 500 queued submissions through real Celery workers (a private Redis)"
export TENSORDOJO_ENV=test
"$VENV/bin/pytest" -q -s -p no:cacheprovider bench/test_drain.py
