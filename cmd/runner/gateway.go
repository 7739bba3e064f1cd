package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sync/errgroup"

	"takehome/gateway"
	"takehome/grader/docker"
	"takehome/internal/postgres"
)

// sweepEvery is how often reservations of calls that never settled (their
// gateway died) are charged; staleAfter is how old they must be.
const (
	sweepEvery = time.Minute
	staleAfter = 30 * time.Minute
)

// startGateway serves the model gateway beside this worker: on a Unix
// socket in a directory of its own under cfg.GatewayDir, which a named
// volume binds so sandboxes can mount it read-only. It returns how steps
// reach it.
func startGateway(ctx context.Context, g *errgroup.Group, cfg Config, store *postgres.Store, b *backend, id string, log *slog.Logger) (*docker.Gateway, error) {
	shim, err := os.ReadFile(shimPath(cfg))
	if err != nil {
		return nil, fmt.Errorf("model gateway: the llm shim: %w (build it with `make build`, or set --llm-shim)", err)
	}
	dir := filepath.Join(cfg.GatewayDir, id)
	ln, err := listenSocket(dir)
	if err != nil {
		return nil, fmt.Errorf("model gateway: %w", err)
	}
	volume, labels := "takehome-llm-"+id, docker.GatewayLabels(id, fleet(cfg.DatabaseURL))
	if err := docker.CreateGatewayVolume(ctx, volume, dir, labels); err != nil {
		_ = ln.Close() // nothing was served on it
		return nil, err
	}
	srv := &http.Server{
		Handler:           gateway.New(gateway.Config{Store: store, Source: store, Log: log, Metrics: gateway.NewMetrics(b.metrics.Registry)}),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	serveUntilDone(ctx, g, srv, ln, func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := docker.RemoveGatewayVolume(rctx, volume); err != nil {
			log.Warn("remove the gateway volume", "err", err)
		}
		_ = os.RemoveAll(dir)
	})
	g.Go(func() error { return sweepLoop(ctx, store, log) })
	log.Info("model gateway started", "socket", ln.Addr().String(), "volume", volume)
	return &docker.Gateway{Volume: volume, Shim: shim, HostDir: dir, Labels: labels}, nil
}

// shimPath is the llm shim the worker copies into sandboxes: --llm-shim,
// else the one beside this binary.
func shimPath(cfg Config) string {
	if cfg.LLMShim != "" {
		return cfg.LLMShim
	}
	exe, err := os.Executable()
	if err != nil {
		return "llm-shim"
	}
	return filepath.Join(filepath.Dir(exe), "llm-shim")
}

// listenSocket listens on dir/llm.sock, where the sandbox user may connect
// (a socket needs write permission to connect) but not change anything.
func listenSocket(dir string) (net.Listener, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o755); err != nil { // MkdirAll honours the umask
		return nil, err
	}
	sock := filepath.Join(dir, "llm.sock")
	if err := os.Remove(sock); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	ln, err := net.Listen("unix", sock)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(sock, 0o666); err != nil {
		_ = ln.Close() // nothing was served on it
		return nil, err
	}
	return ln, nil
}

// sweepLoop charges calls that never settled at their full reservation.
func sweepLoop(ctx context.Context, store *postgres.Store, log *slog.Logger) error {
	t := time.NewTicker(sweepEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		now := time.Now()
		if n, err := store.SweepLLMCalls(ctx, now.Add(-staleAfter), now); err != nil && ctx.Err() == nil {
			log.Warn("sweep model calls", "err", err)
		} else if n > 0 {
			log.Warn("swept model calls that never settled, at their full reservation", "calls", n)
		}
	}
}
