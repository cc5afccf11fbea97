#!/bin/sh
# Initialise the cluster on first start (POSTGRES_USER/PASSWORD/DB, like the official image), then run it.
set -e
mkdir -p "$PGDATA" /run/postgresql
chown -R postgres:postgres "$PGDATA" /run/postgresql
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo "$POSTGRES_PASSWORD" > /tmp/pwfile
  chown postgres /tmp/pwfile
  su postgres -c "initdb -D $PGDATA -U $POSTGRES_USER --pwfile=/tmp/pwfile --auth=scram-sha-256 -E UTF8" >/dev/null
  rm -f /tmp/pwfile
  echo "host all all 0.0.0.0/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"
  su postgres -c "pg_ctl -D $PGDATA -o '-c listen_addresses=localhost' -w start" >/dev/null
  su postgres -c "PGPASSWORD=$POSTGRES_PASSWORD psql -U $POSTGRES_USER -d postgres -h localhost -qc 'CREATE DATABASE \"$POSTGRES_DB\"'"
  su postgres -c "pg_ctl -D $PGDATA -w stop" >/dev/null
fi
exec su postgres -c "postgres -D $PGDATA -c listen_addresses=*"
