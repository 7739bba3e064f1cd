#!/usr/bin/env bash
# Prints the benchmark table: sandbox overhead per phase against docker run,
# grading throughput, and peak RSS of runner serve under concurrent uploads.
# Uses DATABASE_URL when set, otherwise a throwaway cluster under ./.data.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${DATABASE_URL:-}" ]; then
  eval "$(scripts/pg.sh)"
fi
export DATABASE_URL
mkdir -p bin
go build -o bin/runner ./cmd/runner
scripts/images.sh bin/runner >/dev/null
go run ./cmd/bench -runner bin/runner "$@"
