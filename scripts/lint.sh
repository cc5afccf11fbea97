#!/usr/bin/env bash
# Lint, one definition for make lint, make check and make test: ruff (rules and formatting)
# and vulture for dead code (only what it is sure of; Django's by-signature names are in
# scripts/vulture_whitelist.py).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
say "lint (ruff, vulture)"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check --quiet . || { echo "run: .venv/bin/ruff format ."; exit 1; }
"$VENV/bin/vulture" grader platform tensordojo_cli bench scripts/vulture_whitelist.py \
    --min-confidence 100 --exclude "*/migrations/*"
