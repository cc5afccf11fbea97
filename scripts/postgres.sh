#!/usr/bin/env bash
# Start the machine's PostgreSQL 15 and make a role and database for tensordojo.
# Writes the DATABASE_URL to var/run/postgres-url.
source "$(dirname "$0")/lib.sh"

version="${PG_VERSION:-15}"
if ! pg_lsclusters -h 2>/dev/null | grep -q "^$version main"; then
    pg_createcluster "$version" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
    say "starting PostgreSQL $version"
    pg_ctlcluster "$version" main start
fi
port="$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')"
password="tensordojo-local"
su postgres -c "psql -p $port -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='tensordojo'\"" | grep -q 1 \
    || su postgres -c "psql -p $port -qc \"CREATE ROLE tensordojo LOGIN CREATEDB PASSWORD '$password'\""
su postgres -c "psql -p $port -qtAc \"SELECT 1 FROM pg_database WHERE datname='tensordojo'\"" | grep -q 1 \
    || su postgres -c "createdb -p $port -O tensordojo tensordojo"
echo "postgres://tensordojo:$password@127.0.0.1:$port/tensordojo" >"$VAR/run/postgres-url"
