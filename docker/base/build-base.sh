#!/usr/bin/env bash
# Build a minimal Debian base image without any container registry:
# debootstrap a root file system from the Debian mirror and `docker import` it.
# The Dockerfiles take this image as their BASE build argument, so they build
# the same way offline (this image) and online (debian:<suite>-slim).
#
# The app, Redis and PostgreSQL images use Debian 12 (bookworm, the host's Python 3.11
# and its wheelhouse); the sandbox uses Debian 13 (trixie: NumPy 2, PyTorch 2).
#
# Usage: docker/base/build-base.sh [IMAGE [SUITE]]
#        (default tensordojo/debian-base:bookworm; SUITE defaults to the image's tag)
set -euo pipefail

image="${1:-tensordojo/debian-base:bookworm}"
suite="${2:-${image##*:}}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if docker image inspect "$image" >/dev/null 2>&1; then
    echo "base image $image already present"
    exit 0
fi
if ! command -v debootstrap >/dev/null 2>&1; then
    echo "installing debootstrap from Debian's packages"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi

rootfs="$(mktemp -d /tmp/tensordojo-rootfs.XXXXXX)"
trap 'rm -rf "$rootfs"' EXIT

echo "debootstrapping Debian $suite into $rootfs (a few minutes the first time)"
debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$rootfs.log" 2>&1 || {
    tail -n 30 "$rootfs.log"; exit 1; }
rm -f "$rootfs.log"

# Same apt behaviour as the official slim images: no recommends, no caches kept.
cat >"$rootfs/etc/apt/apt.conf.d/90tensordojo" <<'APT'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
APT
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*

tar -C "$rootfs" --numeric-owner -c . | docker import \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["/bin/bash"]' \
    - "$image" >/dev/null
echo "built base image $image"
