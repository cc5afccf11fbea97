#!/usr/bin/env bash
# Build the sandbox images without a registry, and only when their inputs changed.
# The base is debootstrapped Debian 13 and imported (docker/base/build-base.sh) unless
# SANDBOX_BASE names a registry image such as debian:trixie-slim.
#   tensordojo/sandbox:latest         NumPy + PyTorch (SANDBOX_IMAGE)
#   tensordojo/sandbox-stdlib:latest  the standard library only (SANDBOX_STDLIB_IMAGE)
source "$(dirname "$0")/lib.sh"

image="${SANDBOX_IMAGE:-tensordojo/sandbox:latest}"
stdlib_image="${SANDBOX_STDLIB_IMAGE:-tensordojo/sandbox-stdlib:latest}"
base="${SANDBOX_BASE:-tensordojo/debian-base:trixie}"

if ! docker info >/dev/null 2>&1; then
    echo "The Docker engine is not reachable: the sandbox needs it (see README, 'Without Docker')." >&2
    exit 1
fi
if [[ "$base" == tensordojo/debian-base:* ]]; then
    "$ROOT/docker/base/build-base.sh" "$base"
fi

# Each image is labelled with a hash of everything that goes into it.
inputs_hash="$(cd "$ROOT" && cat docker/sandbox/Dockerfile $(find grader/harness -name '*.py' | sort) \
    | { cat; echo "$base"; } | sha256sum | cut -c1-16)"
build() {  # target image
    local target="$1" name="$2" current
    current="$(docker image inspect -f '{{ index .Config.Labels "tensordojo.inputs" }}' "$name" 2>/dev/null || true)"
    [ "$current" = "$inputs_hash" ] && return 0
    say "building the sandbox image $name (target $target, base $base)"
    DOCKER_BUILDKIT=0 docker build -q --target "$target" --build-arg BASE="$base" \
        --label "tensordojo.inputs=$inputs_hash" -f "$ROOT/docker/sandbox/Dockerfile" -t "$name" "$ROOT" 2>&1 \
        | grep -v -i 'deprecat\|buildkit\|environment-variable' || true
    docker image inspect "$name" >/dev/null
}
build stdlib "$stdlib_image"
build numpy "$image"

# The Triton image (GPU exercises graded on the CPU by Triton's interpreter): the sandbox
# above plus Triton's wheel for the sandbox's Python, fetched once from PyPI by the host's pip.
triton_image="${SANDBOX_TRITON_IMAGE:-tensordojo/sandbox-triton:latest}"
triton_version="${TRITON_VERSION:-3.2.0}"  # the release PyTorch 2.6 (Debian 13's) was built against
wheels="$ROOT/docker/sandbox/wheels"
if ! ls "$wheels"/triton-"$triton_version"-*.whl >/dev/null 2>&1; then
    say "fetching Triton $triton_version for the sandbox's Python 3.13 (once)"
    mkdir -p "$wheels"
    "$ROOT/scripts/venv.sh"
    "$PY" -m pip download -q --no-deps --only-binary=:all: --python-version 3.13 \
        --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 --platform manylinux_2_28_x86_64 \
        -d "$wheels" "triton==$triton_version"
fi
sandbox_id="$(docker image inspect -f '{{ .Id }}' "$image")"
triton_hash="$( { echo "$sandbox_id"; cat "$ROOT/docker/sandbox/triton.Dockerfile"; ls "$wheels"; } | sha256sum | cut -c1-16)"
current="$(docker image inspect -f '{{ index .Config.Labels "tensordojo.inputs" }}' "$triton_image" 2>/dev/null || true)"
if [ "$current" != "$triton_hash" ]; then
    say "building the sandbox image $triton_image (Triton $triton_version, interpreter mode)"
    DOCKER_BUILDKIT=0 docker build -q --build-arg SANDBOX="$image" --label "tensordojo.inputs=$triton_hash" \
        -f "$ROOT/docker/sandbox/triton.Dockerfile" -t "$triton_image" "$wheels" 2>&1 \
        | grep -v -i 'deprecat\|buildkit\|environment-variable' || true
    docker image inspect "$triton_image" >/dev/null
fi
