#!/usr/bin/env bash
# Bring the docker compose stack up from offline-built images, grade one submission through
# it (API -> Redis -> worker container -> sandbox on the host engine -> PostgreSQL), take it down.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/compose-build.sh"  # sandbox images, offline base, wheelhouse, compose images
project="tensordojo-smoke-$$"
port="$(free_port)"
export DJANGO_SECRET_KEY="smoke-test-$(date +%s)-$RANDOM"
export METRICS_TOKEN="smoke-metrics-$RANDOM$RANDOM" GRADER_CASE_POOL_SECRET="smoke-pool-$RANDOM$RANDOM"
export WEB_PORT="$port" POSTGRES_PASSWORD="smoke-$RANDOM"
compose=(docker-compose -p "$project" -f docker-compose.yml -f docker-compose.offline.yml)
cleanup() {
    "${compose[@]}" logs --no-color --tail 30 web worker-cpu >"$VAR/log/compose-smoke.log" 2>&1 || true
    "${compose[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
}
trap cleanup EXIT

say "starting the stack (project $project, web on 127.0.0.1:$port)"
"${compose[@]}" up -d
url="http://127.0.0.1:$port"
for _ in $(seq 1 90); do
    curl -fsS "$url/healthz" >/dev/null 2>&1 && break
    sleep 2
done
curl -sS "$url/healthz"; echo

"${compose[@]}" exec -T web /entrypoint.sh manage demo >/dev/null
"$PY" - "$url" <<'PYEOF'
import json, sys, time, urllib.request

url = sys.argv[1]

def call(path, data=None, token=None):
    request = urllib.request.Request(url + path, data=json.dumps(data).encode() if data else None,
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Token {token}"} if token else {})})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)

token = call("/api/token", {"username": "learner", "password": "learner-demo-pass"})["token"]
source = open("exercises/matmul-by-hand/solution.py").read()
submission = call("/api/submissions", {"exercise": "matmul-by-hand", "source": source}, token)
deadline = time.time() + 180
while time.time() < deadline:
    state = call(f"/api/submissions/{submission['id']}", token=token)
    if state["status"] in ("graded", "error"):
        break
    time.sleep(1)
print(f"compose smoke: status={state['status']} verdict={state['verdict']} score={state['score']}")
assert state["status"] == "graded" and state["verdict"] == "accepted", state
PYEOF
say "compose smoke test passed"
