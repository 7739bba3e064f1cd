// Package deploy drives the repository's docker-compose.yml deployment:
// PostgreSQL from the offline Debian base, the runner image FROM scratch,
// the one-shot sandbox image build, the web server and scalable workers on
// the host's Docker engine. Project runs compose through scripts/compose.sh
// (which builds the static binary the image copies) and reads the state of
// a running project; the web API helpers submit and scrape.
//
// compose_test.go brings a project up with two workers, grades submissions
// through a killed worker, a worker cut off from the database and a database
// restart, and checks that each is graded exactly once and nothing is left
// on the engine. cmd/bench uses Project for the compose throughput rows.
package deploy
