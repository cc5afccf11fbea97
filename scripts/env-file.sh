#!/usr/bin/env bash
# Write the local checkout's git-ignored .env once: a generated secret key and
# TENSORDOJO_ENV=development. platform/config/settings.py reads it (real environment
# variables win), so manage.py, Celery and gunicorn need nothing exported by hand.
source "$(dirname "$0")/lib.sh"

file="$ROOT/.env"
[ -f "$file" ] && exit 0
key="$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')"
(
    umask 077
    printf '# Written by `make up` for this checkout only (git-ignored). Real environment variables win.\n' >"$file.tmp"
    printf 'TENSORDOJO_ENV=development\nDJANGO_SECRET_KEY=%s\n' "$key" >>"$file.tmp"
    mv "$file.tmp" "$file"
)
say "wrote .env (development settings and a generated secret key)"
