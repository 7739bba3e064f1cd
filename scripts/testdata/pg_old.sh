#!/usr/bin/env bash
# scripts/pg.sh as it was before issue 9: every cluster, the one `make run`
# keeps its data in too, had fsync, synchronous_commit and full_page_writes
# off. scripts_test.go makes such a cluster to check the new pg.sh repairs it.
# Starts a throwaway PostgreSQL cluster under ./.data/pg with the installed
# binaries (no system service needed) and prints its DATABASE_URL.
#
#   eval "$(scripts/pg.sh)"     exports DATABASE_URL
#   scripts/pg.sh stop
set -euo pipefail

dir=${PGDATA_DIR:-$PWD/.data/pg}
port=${PGPORT_TAKEHOME:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL binaries not found (apt-get install postgresql)" >&2; exit 1; }

# initdb and postgres refuse to run as root; use the postgres user when root.
as=()
if [ "$(id -u)" = 0 ]; then as=(runuser -u postgres --); fi

if [ "${1:-}" = stop ]; then
  "${as[@]}" "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
  exit 0
fi

mkdir -p "$dir"
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; chmod 700 "$dir"; fi
if [ ! -f "$dir/PG_VERSION" ]; then
  "${as[@]}" "$bin/initdb" -D "$dir" -U takehome --auth=trust -E UTF8 >/dev/null
  cat >>"$dir/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
fi
if ! "${as[@]}" "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
  "${as[@]}" "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w start >/dev/null
fi
"$bin/psql" -h 127.0.0.1 -p "$port" -U takehome -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname='takehome'" | grep -q 1 ||
  "$bin/psql" -h 127.0.0.1 -p "$port" -U takehome -d postgres -qc "CREATE DATABASE takehome"
echo "export DATABASE_URL='postgres://takehome@127.0.0.1:$port/takehome?sslmode=disable'"
