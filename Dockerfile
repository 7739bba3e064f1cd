# The runner image for docker-compose deployments (needs a registry for the
# golang and debian base images). Sandbox images are separate: images/.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/runner ./cmd/runner

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/runner /usr/local/bin/runner
USER 65534:65534
ENTRYPOINT ["runner"]
CMD ["serve"]
