#!/usr/bin/env bash
# Runs the whole test suite against real PostgreSQL and real Docker.
# Uses DATABASE_URL when set, otherwise a throwaway cluster with durability
# off in its own directory (./.data/test-pg, port 55434; never the cluster
# `make run` keeps its data in). Installs what a fresh machine lacks
# (scripts/deps.sh): chromium for the browser tests, PostgreSQL, and gVisor
# registered with the engine (scripts/gvisor.sh): the sandbox tests run
# every hostile case under runc and under runsc.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${DATABASE_URL:-}" ]; then
  scripts/deps.sh chromium postgresql
  export PGDATA_DIR=${PGDATA_DIR:-$PWD/.data/test-pg}
  export PGPORT_TAKEHOME=${PGPORT_TAKEHOME:-55434}
  eval "$(scripts/pg.sh --fast)"
else
  scripts/deps.sh chromium
fi
export TEST_DATABASE_URL=${TEST_DATABASE_URL:-$DATABASE_URL}

scripts/gvisor.sh

mkdir -p bin
go build -o bin/runner ./cmd/runner
CGO_ENABLED=0 go build -trimpath -o bin/llm-shim ./cmd/llm-shim
scripts/images.sh bin/runner

# The packages with concurrency run under the race detector, the others
# without (it slows them and finds nothing there); each package runs once.
# Packages share one Docker engine and two cores: run two at a time.
race=(./web ./internal/queue ./grader/docker ./internal/postgres)
others=$(go list ./... | grep -v -x -e takehome/web -e takehome/internal/queue -e takehome/grader/docker -e takehome/internal/postgres)
go test -count=1 -p 2 -timeout 40m -race "$@" "${race[@]}"
# shellcheck disable=SC2086 # one package path per word
go test -count=1 -p 2 -timeout 40m "$@" $others
