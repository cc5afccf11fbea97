#!/usr/bin/env bash
# `make up`: everything on one machine, in the foreground; Ctrl-C stops it all.
source "$(dirname "$0")/lib.sh"

export DJANGO_SETTINGS_MODULE=config.settings
export PYTHONPATH="$ROOT/platform:$ROOT${PYTHONPATH:+:$PYTHONPATH}"  # platform/ is a source root
REDIS_PORT="${REDIS_PORT:-6379}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:$REDIS_PORT/0}"
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-$REDIS_URL}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"

"$ROOT/scripts/system-deps.sh"
"$ROOT/scripts/venv.sh"
"$ROOT/scripts/images.sh"
# gVisor where the engine accepts it (scripts/gvisor.sh proves it can start a container); the
# worker started below inherits it through settings.
export SANDBOX_RUNTIME="${SANDBOX_RUNTIME:-$("$ROOT/scripts/gvisor.sh")}"
say "sandbox runtime: $SANDBOX_RUNTIME"
"$ROOT/scripts/env-file.sh"  # .env: TENSORDOJO_ENV=development and a generated key, read by settings

cd "$ROOT"
pids=()
cleanup() {
    trap - INT TERM EXIT
    say "stopping"
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ -n "${OWN_REDIS:-}" ] && stop_pidfile "$VAR/run/redis.pid"
    exit 0
}
trap cleanup INT TERM EXIT

if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    say "using the Redis already running on 127.0.0.1:$REDIS_PORT"
else
    # Persisted (append-only file in var/redis/), as compose does: a restart keeps the queue.
    say "starting Redis on 127.0.0.1:$REDIS_PORT (persisted in var/redis/)"
    mkdir -p "$VAR/redis"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$VAR/redis" --appendonly yes --save "" \
        --daemonize yes --pidfile "$VAR/run/redis.pid" --logfile "$VAR/log/redis.log" >/dev/null
    wait_for_redis "$REDIS_PORT"
    OWN_REDIS=1
fi

# After Redis: a built-in exercise without a proof of its version (exercises/.proofs) is
# published only once its check passes, and sync queues that check on `authoring` for the
# worker started below.
say "preparing the database and loading the exercises"
"$PY" manage.py migrate --no-input -v0
"$PY" manage.py exercises sync
"$PY" manage.py collectstatic --no-input -v0
"$PY" manage.py demo

say "starting a Celery worker (queues cpu, trial, regrade, maintenance, authoring) and beat"
"$VENV/bin/celery" -A config worker -Q cpu,trial,regrade,maintenance,authoring --concurrency 2 \
    --hostname "worker-cpu@%h" --loglevel INFO >"$VAR/log/worker.log" 2>&1 &
pids+=($!)
"$VENV/bin/celery" -A config beat --schedule "$VAR/run/celerybeat-schedule" \
    --loglevel INFO >"$VAR/log/beat.log" 2>&1 &
pids+=($!)

say "web server on http://$HOST:$PORT/  (logs in var/log/; Ctrl-C stops everything)"
"$VENV/bin/gunicorn" config.wsgi --chdir platform --bind "$HOST:$PORT" --workers 2 --threads 4 \
    --access-logfile - --error-logfile - &
pids+=($!)
wait -n "${pids[@]}" || true
say "a process stopped unexpectedly; see var/log/"
