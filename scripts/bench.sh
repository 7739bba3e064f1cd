#!/usr/bin/env bash
# Prints the benchmark table: sandbox overhead per phase against docker run
# and under runc beside gVisor (scripts/gvisor.sh registers runsc),
# grading throughput (in process, and the compose deployment with one and two
# worker containers, a project of its own), peak RSS of runner serve under
# concurrent uploads, metric grading speed (classification beside pandas +
# scikit-learn, retrieval) and page latency under wrk.
# Uses DATABASE_URL when set, otherwise a throwaway cluster under ./.data.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${DATABASE_URL:-}" ]; then
  eval "$(scripts/pg.sh)"
fi
export DATABASE_URL
need=()
command -v wrk >/dev/null || need+=(wrk)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
scripts/gvisor.sh >/dev/null
mkdir -p bin
go build -o bin/runner ./cmd/runner
CGO_ENABLED=0 go build -trimpath -o bin/llm-shim ./cmd/llm-shim
scripts/images.sh bin/runner >/dev/null
go run ./cmd/bench -runner bin/runner "$@"
