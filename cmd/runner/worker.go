package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"golang.org/x/sync/errgroup"
	"gorm.io/gorm"

	"takehome/exercises"
	"takehome/grader/docker"
	"takehome/internal/archive"
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
	fs := newFlagSet(e, "worker", "worker [--workers N] [--database-url URL]")
	cfg.flags(fs, e.getenv, "db", "workers")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := cfg.Validate("db", "workers"); err != nil {
		return err
	}
	if cfg.Workers < 1 {
		return fmt.Errorf("--workers must be at least 1 for runner worker")
	}
	log := newLogger(e)
	db, err := openDB(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	if _, err := startWorkers(gctx, g, cfg, db, func(q metrics.DepthFunc) *metrics.Metrics { return metrics.New(q, log) }, log); err != nil {
		return err
	}
	log.Info("worker started", "workers", cfg.Workers)
	return g.Wait()
}

// startWorkers starts the queue (with cfg.Workers grading workers, or
// insert-only when 0), the heartbeat and the container reaper in g. It
// returns the queue and the store wired to it. newMetrics builds the
// metrics once the queue can report its depth.
func startWorkers(ctx context.Context, g *errgroup.Group, cfg Config, db *gorm.DB, newMetrics func(metrics.DepthFunc) *metrics.Metrics, log *slog.Logger) (*wiring, error) {
	id := instanceID()
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	w := &wiring{id: id}
	var worker *queue.GradeWorker
	store := postgres.NewStore(db, nil)
	// The depth is read through w.queue, set below before anything scrapes.
	m := newMetrics(func(ctx context.Context) (map[string]int, error) { return w.queue.Depth(ctx) })
	if cfg.Workers > 0 {
		sb, err := newSandbox(cfg, id, log)
		if err != nil {
			return nil, err
		}
		w.sandbox = sb
		lim := uploadLimits(cfg)
		worker = &queue.GradeWorker{
			Store: store, Exercises: registry(), Pipeline: withProgress(newPipeline(sb, log), store, log),
			Unpack:   func(b []byte) ([]exercises.File, error) { return archive.Read(b, lim) },
			Observer: m, WorkerID: id, Limit: cfg.JobTimeout, Now: time.Now, Logger: log,
		}
		g.Go(func() error { return heartbeat(ctx, store, id, log) })
		g.Go(func() error { return reapLoop(ctx, sb, store, id, cfg.ReapEvery, log) })
	}
	q, err := queue.New(ctx, sqlDB, cfg.DatabaseURL, queue.Config{
		ID: id, Workers: cfg.Workers, RescueAfter: cfg.RescueAfter, SoftStop: cfg.DrainTimeout,
		PollEvery: time.Second, Logger: log,
	}, worker)
	if err != nil {
		return nil, err
	}
	w.queue = q
	w.store = postgres.NewStore(db, q)
	g.Go(func() error { return q.Run(ctx) })
	return w, nil
}

// wiring is what the web server needs from the worker side.
type wiring struct {
	id      string
	queue   *queue.Queue
	store   *postgres.Store
	sandbox *docker.Sandbox // nil without workers
}

func heartbeat(ctx context.Context, store *postgres.Store, id string, log *slog.Logger) error {
	host, _ := os.Hostname()
	t := time.NewTicker(heartbeatEvery)
	defer t.Stop()
	for {
		if err := store.Heartbeat(ctx, id, host, time.Now()); err != nil && ctx.Err() == nil {
			log.Warn("heartbeat", "err", err)
		}
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
