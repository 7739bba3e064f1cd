#!/usr/bin/env bash
# Runs the whole test suite against real PostgreSQL and real Docker.
# Uses DATABASE_URL when set, otherwise a throwaway cluster under ./.data.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${DATABASE_URL:-}" ]; then
  eval "$(scripts/pg.sh)"
fi
export TEST_DATABASE_URL=${TEST_DATABASE_URL:-$DATABASE_URL}

mkdir -p bin
go build -o bin/runner ./cmd/runner
scripts/images.sh bin/runner

# Packages share one Docker engine and two cores: run two at a time.
go test -count=1 -p 2 -timeout 40m "$@" ./...
