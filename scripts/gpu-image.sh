#!/usr/bin/env bash
# Build the GPU sandbox image (tensordojo/sandbox-gpu:latest) for GPU workers: `make gpu-image`.
# Not part of `make test` (several GB of CUDA wheels; no GPU is needed to build it, one is needed to use it).
#
#   1. the wheelhouse: the host's pip downloads CUDA-enabled PyTorch, Triton and NumPy for the sandbox's
#      Python (3.13, manylinux x86_64) into docker/sandbox-gpu/wheels (once; kept between builds);
#   2. the image: the Debian 13 base of the CPU sandbox + those wheels + the harness, no index reached.
#
# PyPI's Linux x86_64 torch wheels are the CUDA 12.4 builds (their nvidia-* dependencies come along).
# Settings (environment): SANDBOX_GPU_IMAGE (default tensordojo/sandbox-gpu:latest), TORCH_VERSION (2.6.0),
# TRITON_VERSION (3.2.0: the release PyTorch 2.6 pins), NUMPY_VERSION (2.2.4, as in the CPU sandbox),
# TORCH_INDEX (an extra index, e.g. https://download.pytorch.org/whl/cu126), SANDBOX_BASE, GPU_WHEELS_ONLY=1 to
# stop after the wheelhouse (for a machine without Docker). A GPU worker then runs with
# SANDBOX_TRITON_IMAGE=<this image> and SANDBOX_GPU=1 (see README, "GPU exercises").
source "$(dirname "$0")/lib.sh"

image="${SANDBOX_GPU_IMAGE:-tensordojo/sandbox-gpu:latest}"
torch_version="${TORCH_VERSION:-2.6.0}"
triton_version="${TRITON_VERSION:-3.2.0}"
numpy_version="${NUMPY_VERSION:-2.2.4}"
extra=()
[ -n "${TORCH_INDEX:-}" ] && extra=(--extra-index-url "$TORCH_INDEX")
base="${SANDBOX_BASE:-tensordojo/debian-base:trixie}"
wheels="$ROOT/docker/sandbox-gpu/wheels"

# setuptools by name: torch needs it on Python >= 3.12, but pip evaluates that marker for the
# host's Python (3.11), not --python-version, and would leave it out of the wheelhouse.
requirements="torch==$torch_version triton==$triton_version numpy==$numpy_version setuptools"
mkdir -p "$wheels"
if [ "$(cat "$wheels/requirements.txt" 2>/dev/null | tr '\n' ' ' | sed 's/ $//')" != "$requirements" ] \
    || ! ls "$wheels"/torch-"$torch_version"*.whl >/dev/null 2>&1; then
    say "filling the GPU wheelhouse (torch $torch_version, triton $triton_version; about 3 GB, once)"
    "$ROOT/scripts/venv.sh"
    # --platform/--python-version: wheels for the sandbox's Python 3.13, whatever the host runs.
    "$PY" -m pip download -q --only-binary=:all: --python-version 3.13 --implementation cp \
        --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
        "${extra[@]}" \
        -d "$wheels" $requirements
    tr ' ' '\n' <<<"$requirements" >"$wheels/requirements.txt"
fi
[ "${GPU_WHEELS_ONLY:-0}" = "1" ] && { say "wheelhouse ready in $wheels"; exit 0; }

if ! docker info >/dev/null 2>&1; then
    echo "The Docker engine is not reachable: the GPU image needs it (GPU_WHEELS_ONLY=1 fills the wheelhouse only)." >&2
    exit 1
fi
if [[ "$base" == tensordojo/debian-base:* ]]; then
    "$ROOT/docker/base/build-base.sh" "$base"
fi
inputs_hash="$(cd "$ROOT" && { cat docker/sandbox-gpu/Dockerfile $(find grader/harness -name '*.py' | sort); \
    ls "$wheels"; echo "$base"; } | sha256sum | cut -c1-16)"
current="$(docker image inspect -f '{{ index .Config.Labels "tensordojo.inputs" }}' "$image" 2>/dev/null || true)"
if [ "$current" = "$inputs_hash" ]; then
    say "$image is up to date"
    exit 0
fi
say "building the GPU sandbox image $image (base $base)"
DOCKER_BUILDKIT=0 docker build -q --build-arg BASE="$base" --label "tensordojo.inputs=$inputs_hash" \
    -f "$ROOT/docker/sandbox-gpu/Dockerfile" -t "$image" "$ROOT" 2>&1 \
    | grep -v -i 'deprecat\|buildkit\|environment-variable' || true
docker image inspect "$image" >/dev/null
say "built $image; GPU workers: SANDBOX_TRITON_IMAGE=$image SANDBOX_GPU=1"
