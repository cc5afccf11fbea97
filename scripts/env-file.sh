#!/usr/bin/env bash
# Write the local checkout's git-ignored .env: TENSORDOJO_ENV=development and generated secrets
# (the Django secret key, the /metrics bearer token, the grader's case-pool secret).
# platform/config/settings.py reads it (real environment variables win), so manage.py, Celery
# and gunicorn need nothing exported by hand; docker compose reads it for the same variables.
# A secret already in the file is kept; one missing (an .env from an older checkout) is added.
# Usage: scripts/env-file.sh [FILE]   (default: .env at the repository root)
source "$(dirname "$0")/lib.sh"

file="${1:-$ROOT/.env}"
secret() { python3 -c 'import secrets; print(secrets.token_urlsafe(48))'; }
(
    umask 077
    if [ -f "$file" ]; then
        cp -p "$file" "$file.tmp"
    else
        printf '# Written by `make up` for this checkout only (git-ignored). Real environment variables win.\n' >"$file.tmp"
        printf 'TENSORDOJO_ENV=development\n' >>"$file.tmp"
    fi
    added=()
    for name in DJANGO_SECRET_KEY METRICS_TOKEN GRADER_CASE_POOL_SECRET; do
        if ! grep -q "^$name=" "$file.tmp"; then
            printf '%s=%s\n' "$name" "$(secret)" >>"$file.tmp"
            added+=("$name")
        fi
    done
    # The sandbox runtime make up chose (scripts/gvisor.sh): manage.py grade and every other entry point use it too.
    if [ -n "${SANDBOX_RUNTIME:-}" ]; then
        { grep -v '^SANDBOX_RUNTIME=' "$file.tmp" || true; echo "SANDBOX_RUNTIME=$SANDBOX_RUNTIME"; } >"$file.tmp2"
        mv "$file.tmp2" "$file.tmp"
    fi
    mv "$file.tmp" "$file"
    if [ "${#added[@]}" -gt 0 ]; then
        say "wrote .env (generated ${added[*]})"
    fi
)
