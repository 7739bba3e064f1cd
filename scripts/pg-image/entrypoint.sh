#!/bin/sh
# Makes the cluster on first start (user and database POSTGRES_USER and
# POSTGRES_DB, password POSTGRES_PASSWORD for TCP clients), then runs the
# server in the foreground. The durability settings are given on the command
# line on every start, so neither a config edit nor ALTER SYSTEM turns them off.
# Extra arguments are passed on to postgres (e.g. -c shared_buffers=1GB).
set -eu
: "${POSTGRES_USER:=takehome}" "${POSTGRES_DB:=takehome}"
: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  # Clients come from other containers: any address, with the password.
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  # The database before any TCP listener exists, so the healthcheck only
  # passes once it is there.
  echo "CREATE DATABASE \"$POSTGRES_DB\"" | postgres --single -D "$PGDATA" postgres >/dev/null
  echo "pg-entrypoint: made the cluster in $PGDATA"
fi

# Keepalives end the sessions of a client that vanished (a worker killed or
# cut off from the network) in about 30 s instead of the kernel's 2 h, so the
# row locks of its open transaction do not stall the others.
exec postgres -D "$PGDATA" \
  -c listen_addresses='*' -c max_connections="${POSTGRES_MAX_CONNECTIONS:-200}" \
  -c fsync=on -c synchronous_commit=on -c full_page_writes=on \
  -c tcp_keepalives_idle=15 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3 "$@"
