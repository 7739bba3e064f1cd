#!/usr/bin/env bash
# Installs the Debian packages a command needs when they are missing: as
# root with apt-get (one update, then install -y), otherwise it stops and
# prints the exact command to run. Used by .ci/run, scripts/run.sh,
# scripts/test.sh and scripts/images.sh.
#
#   scripts/deps.sh NEED...     NEED: debootstrap, chromium, postgresql or runsc
set -euo pipefail

missing=()
for need in "$@"; do
  case $need in
    debootstrap | chromium | runsc) command -v "$need" >/dev/null || missing+=("$need") ;;
    postgresql) ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql) ;;
    *) echo "deps.sh: unknown need $need (debootstrap, chromium, postgresql, runsc)" >&2; exit 2 ;;
  esac
done
[ ${#missing[@]} -gt 0 ] || exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "missing: ${missing[*]}; install with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing ${missing[*]} (apt-get)" >&2
# One update per run: a second call within the hour (run.sh, then images.sh)
# reuses the package lists the first one fetched.
if ! find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -60 2>/dev/null | grep -q .; then
  apt-get update -qq
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
