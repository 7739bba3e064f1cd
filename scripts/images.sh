#!/usr/bin/env bash
# Makes sure the sandbox images exist. `runner images build` chooses the
# base: the online one when it is present or a registry answers, otherwise
# the offline base; when neither is there, this builds the offline base
# with debootstrap first (installed if missing, scripts/deps.sh).
#
#   scripts/images.sh RUNNER_BINARY
set -euo pipefail
runner=${1:?usage: scripts/images.sh RUNNER_BINARY}
here=$(dirname "$0")
base=takehome/base-offline:bookworm

docker version >/dev/null || { echo "the Docker engine does not answer" >&2; exit 1; }
if ! "$runner" images build --dry-run; then
  echo "building the offline base $base with debootstrap (about 75 s, once)"
  "$here/deps.sh" debootstrap
  "$here/offline-base.sh" "$base"
fi
exec "$runner" images build
