#!/usr/bin/env bash
# gVisor for the sandbox, where this machine allows it: install Debian's runsc, register it
# with the Docker engine as the runtime "runsc" (with --network=none: sandboxes have no
# network anyway, and gVisor's own netstack is not needed), reload the engine, and prove
# that a container starts under it. Prints the runtime to use: "runsc", or "runc" when
# gVisor cannot run here (then say why on stderr; the sandbox still runs, on runc).
#
# Set SANDBOX_RUNTIME=runc to skip gVisor altogether.
source "$(dirname "$0")/lib.sh"

if [ "${SANDBOX_RUNTIME:-}" = "runc" ]; then echo runc; exit 0; fi
probe_image="${1:-tensordojo/debian-base:trixie}"

if ! command -v runsc >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y -qq --no-install-recommends runsc >/dev/null 2>&1 \
            || { apt-get update -qq && apt-get install -y -qq --no-install-recommends runsc >/dev/null 2>&1; } || true
    fi
fi
if ! command -v runsc >/dev/null 2>&1; then
    echo "gVisor: runsc is not installed (apt-get install runsc); the sandbox runs on runc" >&2
    echo runc; exit 0
fi

if ! docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -q '"runsc"'; then
    config=/etc/docker/daemon.json
    if [ "$(id -u)" != 0 ] || [ ! -w "$(dirname "$config")" ]; then
        echo "gVisor: cannot register runsc with the engine (need root to edit $config); using runc" >&2
        echo runc; exit 0
    fi
    python3 - "$config" "$(command -v runsc)" <<'PY'
import json, os, sys
path, runsc = sys.argv[1], sys.argv[2]
config = json.load(open(path)) if os.path.exists(path) and os.path.getsize(path) else {}
config.setdefault("runtimes", {})["runsc"] = {"path": runsc, "runtimeArgs": ["--network=none"]}
with open(path + ".new", "w") as out:
    json.dump(config, out, indent=2)
os.replace(path + ".new", path)
PY
    pid="$(pgrep -o -x dockerd || true)"
    [ -n "$pid" ] && kill -HUP "$pid"  # reload: running containers are not disturbed
    for _ in $(seq 1 50); do
        docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -q '"runsc"' && break
        sleep 0.1
    done
fi

if out="$(timeout 60 docker run --rm --runtime=runsc --network none "$probe_image" true 2>&1)"; then
    echo runsc
else
    echo "gVisor: the engine could not start a container under runsc (${out:0:300}); using runc" >&2
    echo runc
fi
