# Shared helpers for the scripts; sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
VAR="$ROOT/var"
mkdir -p "$VAR/run" "$VAR/log"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_for_redis() {  # port
    for _ in $(seq 1 50); do
        redis-cli -h 127.0.0.1 -p "$1" ping >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "Redis did not start on port $1" >&2
    return 1
}

start_redis() {  # port dir -> starts a private Redis on 127.0.0.1:port, pid in dir/redis.pid
    local port="$1" dir="$2"
    mkdir -p "$dir"
    redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save "" --appendonly no \
        --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
    wait_for_redis "$port"
}

stop_pidfile() {  # file
    [ -f "$1" ] || return 0
    local pid
    pid="$(cat "$1")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$1"
}
