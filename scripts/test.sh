#!/usr/bin/env bash
# `make test`: prepare what `make up` prepares, start a private Redis on a free port
# and PostgreSQL, then run the whole suite (on SQLite, then the database-facing part
# on PostgreSQL) and prove every exercise through the real sandbox.
source "$(dirname "$0")/lib.sh"

"$ROOT/scripts/system-deps.sh"
"$ROOT/scripts/venv.sh"
"$ROOT/scripts/images.sh"
cd "$ROOT"
phase() {  # name: where each phase starts, in seconds since make test started (the CI budget)
    say "$1 (at $SECONDS s)"
}
# gVisor where the engine accepts it (scripts/gvisor.sh proves it can start a container).
export SANDBOX_RUNTIME="${SANDBOX_RUNTIME:-$("$ROOT/scripts/gvisor.sh")}"
say "sandbox runtime: $SANDBOX_RUNTIME"

export TENSORDOJO_ENV=test
export TENSORDOJO_CACHE_DIR="$VAR/cache"
run_dir="$(mktemp -d /tmp/tensordojo-test.XXXXXX)"
REDIS_PORT="$(free_port)"
cleanup() {
    stop_pidfile "$run_dir/redis.pid"
    [ -n "${compose_build:-}" ] && kill "$compose_build" 2>/dev/null || true
    rm -rf "$run_dir"
}
trap cleanup EXIT
if [ -z "${SKIP_COMPOSE:-}" ]; then
    # The compose stack's images are mostly downloads and layers: built beside the CPU-bound
    # phases below instead of after them; the smoke test at the end waits for them.
    "$ROOT/scripts/compose-build.sh" >"$VAR/log/compose-build.log" 2>&1 &
    compose_build=$!
fi
say "starting a private Redis on 127.0.0.1:$REDIS_PORT"
start_redis "$REDIS_PORT" "$run_dir"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export CELERY_BROKER_URL="$REDIS_URL"
export TEST_REDIS_PORT="$REDIS_PORT"

"$ROOT/scripts/lint.sh"

phase "proving every exercise through the sandbox (manage.py exercises check)"
# Under the engine's default runtime (runc): a proof is about the exercise's content, which gVisor
# does not change, and gVisor's start-up and system calls cost this phase minutes of CPU. Every
# attack, sandbox and pipeline test below runs under $SANDBOX_RUNTIME.
SANDBOX_RUNTIME="" "$PY" manage.py exercises check --jobs 2

# Two pytest-xdist workers, each test file whole on one of them: much of the suite waits on
# sandboxes, browsers and worker processes, and no test may depend on the machine's load.
# Each worker has its own test database and Redis database (config/test_settings.py).
xdist=(-n "${TEST_WORKERS:-2}" --dist loadfile)
phase "test suite on SQLite"
# tests/platform and tests/pipeline: their heavy tests run once, in the PostgreSQL pass (tests/conftest.py);
# with SKIP_POSTGRES, all of them run here.
database_pass=sqlite
if [ -n "${SKIP_POSTGRES:-}" ]; then database_pass=""; fi
TEST_DATABASE_PASS="$database_pass" "$VENV/bin/pytest" -q -p no:cacheprovider "${xdist[@]}" "$@"

if [ -z "${SKIP_POSTGRES:-}" ]; then
    "$ROOT/scripts/postgres.sh"
    phase "database-facing tests on PostgreSQL"
    # The 500-submission drain ran above already; it does not depend on the database engine.
    DATABASE_URL="$(cat "$VAR/run/postgres-url")" "$VENV/bin/pytest" -q -p no:cacheprovider "${xdist[@]}" \
        -m "not drain" tests/platform tests/pipeline
fi

if [ -z "${SKIP_COMPOSE:-}" ]; then
    phase "docker compose smoke test (offline images, PostgreSQL, a submission graded through the stack)"
    if ! wait "$compose_build"; then
        tail -n 40 "$VAR/log/compose-build.log" >&2
        echo "building the compose images failed (whole log: var/log/compose-build.log)" >&2
        exit 1
    fi
    compose_build=""
    "$ROOT/scripts/compose-smoke.sh"
fi
phase "make test passed"
