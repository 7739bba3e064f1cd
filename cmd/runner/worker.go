package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"golang.org/x/sync/errgroup"

	"takehome/gateway"
	"takehome/grader"
	"takehome/grader/docker"
	"takehome/internal/metrics"
	"takehome/internal/postgres"
	"takehome/internal/queue"
)

// heartbeatEvery is how often a process tells the database it is alive; a
// process silent for deadAfter is presumed dead and its containers reaped.
const (
	heartbeatEvery = 5 * time.Second
	deadAfter      = 30 * time.Second
)

func cmdWorker(ctx context.Context, e *env, args []string) error {
	cfg := defaultConfig()
	fs := newFlagSet(e, "worker", "worker [--workers N] [--metrics-addr :9090] [--database-url URL]")
	cfg.flags(fs, "db", "workers", "metrics")
	if err := cfg.parse(fs, e.getenv, args); err != nil {
		return err
	}
	if err := cfg.Validate("db", "workers"); err != nil {
		return err
	}
	if cfg.Workers < 1 {
		return errors.New("--workers must be at least 1 for runner worker")
	}
	log := newLogger(e)
	b, err := openBackend(ctx, cfg, log)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	sb, err := startWorkers(gctx, g, cfg, b, log)
	if err != nil {
		return err
	}
	if cfg.MetricsAddr != "" {
		ln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			return err
		}
		srv := &http.Server{
			Handler:           metrics.Handler(b.metrics.Registry, b.ready(map[string]func(context.Context) error{"docker": sb.Ping}), log),
			ReadHeaderTimeout: 10 * time.Second,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		}
		serveUntilDone(gctx, g, srv, ln, nil)
		log.Info("serving metrics", "addr", ln.Addr().String())
		fmt.Fprintf(e.stdout, "metrics on http://%s\n", ln.Addr())
	}
	log.Info("worker started", "workers", cfg.Workers, "runtime", sb.Runtime())
	return g.Wait()
}

// startWorkers starts, in g, cfg.Workers grading workers on this host's
// Docker engine with their heartbeat and container reaper, and reports
// their runs and sandbox use to m. It returns the sandbox.
func startWorkers(ctx context.Context, g *errgroup.Group, cfg Config, b *backend, log *slog.Logger) (*docker.Sandbox, error) {
	store, m := b.store, b.metrics
	id := instanceID()
	gw, err := startGateway(ctx, g, cfg, store, b, id, log)
	if err != nil {
		return nil, err
	}
	sb, err := newSandbox(cfg, id, gw, log)
	if err != nil {
		return nil, err
	}
	m.WatchSandbox(sb.InUse, cfg.MaxContainers)
	pipeline := &grader.Pipeline{Sandbox: sb, Logger: log, Progress: progressSaver(store, log),
		Gateway: &gateway.Grants{Store: store, Now: time.Now}}
	gr := &grader.Grader{
		Store: store, Exercises: registry(), Pipeline: pipeline, Unpack: uploads(cfg).Unpack,
		Observer: m, WorkerID: id, Now: time.Now, Logger: log,
	}
	w, err := queue.NewWorkers(ctx, b.sqlDB, cfg.DatabaseURL, queue.Config{
		ID: id, Workers: cfg.Workers, JobTimeout: cfg.JobTimeout, RescueAfter: cfg.RescueAfter,
		SoftStop: cfg.DrainTimeout, PollEvery: time.Second, Logger: log,
		Upkeep: queue.UpkeepConfig{Every: cfg.UpkeepEvery, Retention: cfg.Retention},
	}, gr, store)
	if err != nil {
		return nil, err
	}
	g.Go(func() error { return w.Run(ctx) })
	g.Go(func() error { return heartbeat(ctx, store, id, log) })
	g.Go(func() error { return reapLoop(ctx, sb, store, id, cfg.ReapEvery, log) })
	return sb, nil
}

func heartbeat(ctx context.Context, store *postgres.Store, id string, log *slog.Logger) error {
	host, _ := os.Hostname()
	t := time.NewTicker(heartbeatEvery)
	defer t.Stop()
	for {
		// Bounded: a write hung on a dead connection must not leave this
		// worker looking dead to the reapers while it still claims jobs.
		hctx, cancel := context.WithTimeout(ctx, heartbeatEvery)
		if err := store.Heartbeat(hctx, id, host, time.Now()); err != nil && ctx.Err() == nil {
			log.Warn("heartbeat", "err", err)
		}
		cancel()
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// reapLoop removes containers and volumes left by dead processes (and any
// past their expiry) at start-up and then periodically.
func reapLoop(ctx context.Context, sb *docker.Sandbox, store *postgres.Store, self string, every time.Duration, log *slog.Logger) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		alive, err := store.AliveWorkers(ctx, time.Now().Add(-deadAfter))
		if err == nil {
			alive[self] = true
			n, err := sb.Reap(ctx, func(owner string) bool { return alive[owner] })
			if err != nil && ctx.Err() == nil {
				log.Warn("reap", "err", err)
			} else if n > 0 {
				log.Info("reaped leftovers", "removed", n)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
