#!/usr/bin/env bash
# Starts a PostgreSQL cluster with the installed binaries (no system service
# needed) and prints its DATABASE_URL. The cluster under ./.data/pg is the
# one `make run` keeps its data in: fsync, synchronous_commit and
# full_page_writes stay on. --fast turns them off, for throwaway test
# clusters in their own directory (scripts/test.sh uses ./.data/test-pg).
#
#   eval "$(scripts/pg.sh)"          exports DATABASE_URL
#   eval "$(scripts/pg.sh --fast)"   the same, not crash-safe
#   scripts/pg.sh stop
#
# PGDATA_DIR and PGPORT_TAKEHOME choose the directory and the port.
set -euo pipefail

dir=${PGDATA_DIR:-$PWD/.data/pg}
port=${PGPORT_TAKEHOME:-55432}
durable=on
case ${1:-} in
  "") ;;
  --fast) durable=off ;;
  stop) ;;
  *) echo "usage: scripts/pg.sh [--fast | stop]" >&2; exit 2 ;;
esac
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL binaries not found: scripts/deps.sh postgresql" >&2; exit 1; }

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
  "${as[@]}" tee -a "$dir/postgresql.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 300
CONF
fi

# The durability settings are rewritten on every start, so a cluster made
# by an older pg.sh (which turned them off for everyone) is repaired.
conf=$dir/postgresql.conf
was_off=$(grep -c '^fsync = off' "$conf" || true)
"${as[@]}" sed -i '/^\(fsync\|synchronous_commit\|full_page_writes\) = /d' "$conf"
printf 'fsync = %s\nsynchronous_commit = %s\nfull_page_writes = %s\n' "$durable" "$durable" "$durable" |
  "${as[@]}" tee -a "$conf" >/dev/null

sql() { "$bin/psql" -h 127.0.0.1 -p "$port" -U takehome -d postgres -tAc "$1"; }
settings="SELECT current_setting('fsync') || current_setting('synchronous_commit') || current_setting('full_page_writes')"
if ! "${as[@]}" "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
  "${as[@]}" "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w start >/dev/null
elif [ "$(sql "$settings")" != "$durable$durable$durable" ]; then
  # Running with other settings: a reload applies them without dropping
  # anyone's connections; wait until new sessions see them.
  "${as[@]}" "$bin/pg_ctl" -D "$dir" reload >/dev/null
  for _ in $(seq 50); do
    [ "$(sql "$settings")" = "$durable$durable$durable" ] && break
    sleep 0.1
  done
fi
# Pages written while fsync was off may still sit in the kernel's cache:
# flush them once now that fsync is on, as PostgreSQL's manual advises.
if [ "$durable" = on ] && [ "$was_off" != 0 ]; then sync; fi

sql "SELECT 1 FROM pg_database WHERE datname='takehome'" | grep -q 1 ||
  "$bin/psql" -h 127.0.0.1 -p "$port" -U takehome -d postgres -qc "CREATE DATABASE takehome"
echo "export DATABASE_URL='postgres://takehome@127.0.0.1:$port/takehome?sslmode=disable'"
