#!/usr/bin/env bash
# Makes sure the sandbox images exist: uses a registry when one answers,
# otherwise builds the offline base with debootstrap first. Then builds the
# exercise images through the Docker API with `runner images build`.
#
#   scripts/images.sh RUNNER_BINARY
set -euo pipefail
runner=${1:?usage: scripts/images.sh RUNNER_BINARY}
base=takehome/base-offline:bookworm

if docker image inspect python:3.12-slim >/dev/null 2>&1 ||
   timeout 30 docker pull -q python:3.12-slim >/dev/null 2>&1; then
  exec "$runner" images build --base python:3.12-slim
fi
echo "no container registry answers: using the offline base $base"
"$(dirname "$0")/offline-base.sh" "$base"
exec "$runner" images build --base "$base"
