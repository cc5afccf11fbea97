#!/usr/bin/env bash
# Build the sandbox image without a registry, and only when its inputs changed.
# The base is debootstrapped and imported (docker/base/build-base.sh) unless
# SANDBOX_BASE names a registry image such as debian:bookworm-slim.
source "$(dirname "$0")/lib.sh"

image="${SANDBOX_IMAGE:-tensordojo/sandbox:latest}"
base="${SANDBOX_BASE:-tensordojo/debian-base:bookworm}"

if ! docker info >/dev/null 2>&1; then
    echo "The Docker engine is not reachable: the sandbox needs it (see README, 'Without Docker')." >&2
    exit 1
fi
if [ "$base" = "tensordojo/debian-base:bookworm" ]; then
    "$ROOT/docker/base/build-base.sh" "$base"
fi

# The image is labelled with a hash of everything that goes into it.
inputs_hash="$(cd "$ROOT" && cat docker/sandbox/Dockerfile $(find grader/harness -name '*.py' | sort) | sha256sum | cut -c1-16)"
current="$(docker image inspect -f '{{ index .Config.Labels "tensordojo.inputs" }}' "$image" 2>/dev/null || true)"
if [ "$current" = "$inputs_hash" ]; then
    exit 0
fi
say "building the sandbox image $image (base $base)"
DOCKER_BUILDKIT=0 docker build -q --build-arg BASE="$base" --label "tensordojo.inputs=$inputs_hash" \
    -f "$ROOT/docker/sandbox/Dockerfile" -t "$image" "$ROOT" 2>&1 | grep -v -i 'deprecat\|buildkit\|environment-variable' || true
docker image inspect "$image" >/dev/null
