#!/usr/bin/env bash
# Create .venv and install the pinned dependencies, only when pyproject.toml changed.
source "$(dirname "$0")/lib.sh"

stamp="$VENV/.installed"
if [ -f "$stamp" ] && [ "$stamp" -nt "$ROOT/pyproject.toml" ]; then
    exit 0
fi
say "creating the virtualenv (.venv) and installing dependencies"
python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --upgrade pip
"$VENV/bin/pip" install -q -e "$ROOT[dev]"
touch "$stamp"
