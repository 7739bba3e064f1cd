#!/usr/bin/env bash
# Builds the offline sandbox base image with debootstrap and `docker import`,
# for machines that cannot pull from a container registry. The Dockerfiles in
# images/ take it as their BASE build argument.
#
#   scripts/offline-base.sh [TAG]     default TAG: takehome/base-offline:bookworm
set -euo pipefail

tag=${1:-takehome/base-offline:bookworm}
if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "offline base $tag already present"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install debootstrap" >&2; exit 1; }

# The mirror the machine already uses, so no other host is contacted.
mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}

root=$(mktemp -d /tmp/takehome-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT

debootstrap --variant=minbase \
  --include=python3,python3-numpy,python3-pandas,python3-sklearn,python3-scipy,python3-yaml,python3-faiss,python3-requests,python3-httpx \
  bookworm "$root" "$mirror"

# Slim the tree: caches and docs are not needed to run Python.
chroot "$root" apt-get clean
rm -rf "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/locale/*

tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["python3"]' \
  - "$tag"
echo "built offline base $tag"
