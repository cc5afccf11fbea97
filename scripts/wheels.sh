#!/usr/bin/env bash
# Build the wheelhouse the app image installs from (docker/app/wheels), with the host's pip.
# The image then needs no package index and no certificates: the same Dockerfile builds
# offline and behind a TLS-intercepting proxy.
source "$(dirname "$0")/lib.sh"
"$ROOT/scripts/venv.sh"
out="$ROOT/docker/app/wheels"
mkdir -p "$out"
"$PY" -c "import tomllib; print('\n'.join(tomllib.load(open('$ROOT/pyproject.toml', 'rb'))['project']['dependencies']))" \
    >"$out/requirements.new"
if cmp -s "$out/requirements.new" "$out/requirements.txt" && ls "$out"/*.whl >/dev/null 2>&1; then
    rm "$out/requirements.new"
    exit 0
fi
mv "$out/requirements.new" "$out/requirements.txt"
say "building the app image's wheelhouse (docker/app/wheels)"
"$VENV/bin/pip" wheel -q --wheel-dir "$out" -r "$out/requirements.txt"
# Debian's python3 is 3.11.2; redis needs async-timeout below 3.11.3, which this host's pip skips.
"$VENV/bin/pip" wheel -q --wheel-dir "$out" "async-timeout>=4.0.3"
