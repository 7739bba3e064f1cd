#!/usr/bin/env bash
# Runs the product on :8080: database (a cluster under ./.data/pg that keeps
# its data safely, when DATABASE_URL is unset), sandbox images, migrations
# and seed data, an admin user whose login is printed, then the web server
# with grading workers. Installs what a fresh machine lacks (scripts/deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${DATABASE_URL:-}" ]; then
  scripts/deps.sh postgresql
  eval "$(scripts/pg.sh)"
fi
export DATABASE_URL

mkdir -p bin
go build -o bin/runner ./cmd/runner
CGO_ENABLED=0 go build -trimpath -o bin/llm-shim ./cmd/llm-shim
scripts/images.sh bin/runner
bin/runner migrate

admin=${RUNNER_ADMIN_EMAIL:-admin@example.com}
echo "== admin login (shown once) =="
bin/runner user create --role admin --email "$admin" 2>/dev/null ||
  echo "user $admin already exists; create another with: bin/runner user create --role admin --email you@example.com"
echo "== sign in at ${RUNNER_BASE_URL:-http://localhost:8080}/login; invite candidates from the Invites page, or:"
echo "   bin/runner invite create --exercise tabular-churn --email candidate@example.com   (or rag-support, smoke-sum)"
exec bin/runner serve --workers "${RUNNER_WORKERS:-2}"
