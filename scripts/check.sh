#!/usr/bin/env bash
# `make check`: the inner loop in under a minute — lint, then the golden, unit and platform
# tests. What needs Docker, Redis and Celery workers, a browser or minutes (security attacks,
# pipeline faults, compose, the drain) is left to `make test`; the drain is in `make bench`.
# So are the tests marked slow, seconds each: the README commands in fresh processes, the
# wheel in a clean venv, `exercises check` through the process backend and Hypothesis' many seeds.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
"$ROOT/scripts/lint.sh"
say "golden, unit and platform tests"
# Compiled bytecode (and pytest's assertion rewrites) kept between runs, under var/ rather than
# beside the sources, even where PYTHONDONTWRITEBYTECODE is set: each run would otherwise compile
# every module again, in each worker.
unset PYTHONDONTWRITEBYTECODE
export PYTHONPYCACHEPREFIX="$VAR/pycache"
# -n auto: one pytest worker per core (pytest-xdist); each has its own test database, made from
# the models (--nomigrations; test_migrations.py checks that the migrations match them, and
# make test applies the migrations to every test database).
"$VENV/bin/pytest" -q -p no:cacheprovider -n auto --nomigrations \
    -m "not (docker or redis or browser or security or fault or compose or drain or slow)" "$@"
