#!/usr/bin/env bash
# Runs docker compose on docker-compose.yml with no registry. Before a
# command that builds or starts (build, up, run, create) it puts the runner's
# root filesystem in deploy/rootfs/ (the static binary, CGO_ENABLED=0, and a
# /tmp), which Dockerfile copies into a FROM scratch image, and makes sure
# the offline base that PostgreSQL's image (scripts/pg-image) and the sandbox
# images build on exists (debootstrap, about 75 s, once). Then it hands its
# arguments to `docker compose` (v2) or `docker-compose` (v1).
#
#   scripts/compose.sh up -d --build [--scale worker=3]
#   scripts/compose.sh down
#   scripts/compose.sh rootfs [DIR]   only the root filesystem (default deploy/rootfs)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."

# rootfs DIR: the binary goes in under a temporary name and is renamed, so
# a build reading the directory meanwhile sees the old binary or the new.
rootfs() {
  local dir=$1
  mkdir -p "$dir/usr/local/bin" "$dir/tmp" "$dir/etc/ssl/certs"
  chmod 1777 "$dir/tmp"
  # For TLS to a database elsewhere.
  if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    cp /etc/ssl/certs/ca-certificates.crt "$dir/etc/ssl/certs/"
  fi
  local tmp
  tmp=$(mktemp "$dir/usr/local/bin/.runner-XXXXXX")
  CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$tmp" ./cmd/runner
  chmod 755 "$tmp"
  mv -f "$tmp" "$dir/usr/local/bin/runner"
  # The shim the worker copies into sandboxes with model access, beside it.
  tmp=$(mktemp "$dir/usr/local/bin/.llm-shim-XXXXXX")
  CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$tmp" ./cmd/llm-shim
  chmod 755 "$tmp"
  mv -f "$tmp" "$dir/usr/local/bin/llm-shim"
}

if [ "${1:-}" = rootfs ]; then
  rootfs "${2:-deploy/rootfs}"
  exit 0
fi

if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null; then
  compose=(docker-compose)
else
  echo "neither \`docker compose\` nor docker-compose is installed" >&2
  exit 1
fi

# The compose command: the first word that is not a global option or its value.
cmd=
skip=false
for a in "$@"; do
  if $skip; then skip=false; continue; fi
  case $a in
    -p | -f | -c | -H | --project-name | --file | --env-file | --profile | --project-directory | \
      --context | --host | --ansi | --log-level | --parallel | --progress) skip=true ;;
    -*) ;;
    *) cmd=$a; break ;;
  esac
done
if [[ $cmd =~ ^(build|up|run|create)$ ]]; then
  rootfs deploy/rootfs
  base=takehome/base-offline:bookworm
  if [ -z "${RUNNER_PG_BASE:-}" ] && ! docker image inspect "$base" >/dev/null 2>&1; then
    echo "building the offline base $base with debootstrap (about 75 s, once)"
    "$here/deps.sh" debootstrap
    "$here/offline-base.sh" "$base"
  fi
fi
exec "${compose[@]}" "$@"
