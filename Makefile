# takehome: make run (the product on :8080), make test (everything, real
# PostgreSQL and Docker), make bench (benchmark table), make lint.
.PHONY: run test bench lint build

build:
	go build -o bin/runner ./cmd/runner
	CGO_ENABLED=0 go build -trimpath -o bin/llm-shim ./cmd/llm-shim

run:
	scripts/run.sh

test:
	scripts/test.sh

bench:
	scripts/bench.sh

lint:
	go vet ./...
	go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
	go run github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.15.0 run ./...
