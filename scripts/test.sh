#!/usr/bin/env bash
# `make test`: prepare what `make up` prepares, start a private Redis on a free port
# and PostgreSQL, then run the whole suite (on SQLite, then the database-facing part
# on PostgreSQL) and prove every exercise through the real sandbox.
source "$(dirname "$0")/lib.sh"

"$ROOT/scripts/system-deps.sh"
"$ROOT/scripts/venv.sh"
"$ROOT/scripts/images.sh"
cd "$ROOT"
# gVisor where the engine accepts it (scripts/gvisor.sh proves it can start a container).
export SANDBOX_RUNTIME="${SANDBOX_RUNTIME:-$("$ROOT/scripts/gvisor.sh")}"
say "sandbox runtime: $SANDBOX_RUNTIME"

export TENSORDOJO_ENV=test
export TENSORDOJO_CACHE_DIR="$VAR/cache"
run_dir="$(mktemp -d /tmp/tensordojo-test.XXXXXX)"
REDIS_PORT="$(free_port)"
cleanup() {
    stop_pidfile "$run_dir/redis.pid"
    rm -rf "$run_dir"
}
trap cleanup EXIT
say "starting a private Redis on 127.0.0.1:$REDIS_PORT"
start_redis "$REDIS_PORT" "$run_dir"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export CELERY_BROKER_URL="$REDIS_URL"
export TEST_REDIS_PORT="$REDIS_PORT"

"$ROOT/scripts/lint.sh"

say "proving every exercise through the sandbox (manage.py exercises check)"
"$PY" manage.py exercises check --jobs 2

say "test suite on SQLite"
"$VENV/bin/pytest" -q -p no:cacheprovider "$@"

if [ -z "${SKIP_POSTGRES:-}" ]; then
    "$ROOT/scripts/postgres.sh"
    say "database-facing tests on PostgreSQL"
    # The 500-submission drain ran above already; it does not depend on the database engine.
    DATABASE_URL="$(cat "$VAR/run/postgres-url")" "$VENV/bin/pytest" -q -p no:cacheprovider -m "not drain" \
        tests/platform tests/pipeline
fi

if [ -z "${SKIP_COMPOSE:-}" ]; then
    say "docker compose smoke test (offline images, PostgreSQL, a submission graded through the stack)"
    "$ROOT/scripts/compose-smoke.sh"
fi
