#!/usr/bin/env bash
# Build what the docker compose stack runs, offline: the sandbox images (the worker's host
# engine grades with them), the app images' Debian 12 base, the wheelhouse and the compose
# images. Idempotent: what is current is kept. `make test` starts this in the background
# while the exercises are proven, since it is mostly downloads and image layers.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/images.sh"
"$ROOT/docker/base/build-base.sh" tensordojo/debian-base:bookworm
"$ROOT/scripts/wheels.sh"
say "building the compose images (offline base)"
# The compose file refuses to interpolate without the stack's secrets, even to build; nothing of
# these reaches an image (they are run-time environment), so a build takes placeholders.
DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-build-only}" METRICS_TOKEN="${METRICS_TOKEN:-build-only}" \
    GRADER_CASE_POOL_SECRET="${GRADER_CASE_POOL_SECRET:-build-only}" \
    docker-compose -f docker-compose.yml -f docker-compose.offline.yml build -q
