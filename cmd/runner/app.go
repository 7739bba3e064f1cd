package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"maps"
	"os"

	"gorm.io/gorm"

	"takehome/exercises"
	"takehome/exercises/rag"
	"takehome/exercises/smoke"
	"takehome/exercises/tabular"
	"takehome/grader/docker"
	"takehome/internal/archive"
	"takehome/internal/metrics"
	"takehome/internal/postgres"
	"takehome/internal/queue"
)

// registry lists every exercise this binary can grade. New exercises are
// added here, explicitly.
func registry() *exercises.Registry {
	return exercises.NewRegistry(
		smoke.New(),
		tabular.New(),
		rag.New(),
	)
}

// newLogger returns the process logger: slog JSON on stderr.
func newLogger(e *env) *slog.Logger {
	return slog.New(slog.NewJSONHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// openDB connects to the database and refuses a stale schema.
func openDB(ctx context.Context, cfg Config, log *slog.Logger, wantCurrent bool) (*gorm.DB, error) {
	db, err := postgres.Open(ctx, cfg.DatabaseURL, log)
	if err != nil {
		return nil, err
	}
	if wantCurrent {
		if err := postgres.SchemaCurrent(ctx, db); err != nil {
			return nil, err
		}
	}
	return db, nil
}

// instanceID names this process in container labels, River and the workers
// table, so that leftovers of a dead process can be told from live work.
func instanceID() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), randomHex(4))
}

// newSandbox connects to the Docker engine this process runs beside.
func newSandbox(cfg Config, owner string, gw *docker.Gateway, log *slog.Logger) (*docker.Sandbox, error) {
	return docker.New(docker.Config{
		MaxContainers: cfg.MaxContainers,
		Owner:         owner,
		Fleet:         fleet(cfg.DatabaseURL),
		Runtime:       cfg.Runtime,
		Gateway:       gw,
		Logger:        log,
	})
}

// fleet names the runners sharing one database: liveness of an owner is
// only known within its fleet, so the reaper judges other fleets' objects
// by their expiry alone.
func fleet(databaseURL string) string {
	if databaseURL == "" {
		return "standalone"
	}
	sum := sha256.Sum256([]byte(databaseURL))
	return hex.EncodeToString(sum[:6])
}

// uploads checks and unpacks submissions under the configured limits.
func uploads(cfg Config) archive.Uploads {
	lim := archive.DefaultLimits()
	lim.MaxCompressed, lim.MaxUncompressed, lim.MaxEntries = cfg.MaxUpload, cfg.MaxUnpacked, cfg.MaxEntries
	return archive.Uploads{Limits: lim}
}

// readBEIRFolder reads a BEIR folder on this machine for an import: every
// regular file (no links), 600 MB and 10,000 files at most.
func readBEIRFolder(dir string) ([]exercises.File, error) {
	lim := archive.DefaultLimits()
	lim.MaxUncompressed = 600 << 20
	files, err := archive.ReadDir(dir, lim)
	if err != nil {
		return nil, fmt.Errorf("BEIR folder %s (corpus.jsonl, queries.jsonl, qrels/test.tsv): %w", dir, err)
	}
	return files, nil
}

// backend is what every long-running command builds first: the database,
// the insert-only queue client, the store on both, and the metrics.
type backend struct {
	db      *gorm.DB
	sqlDB   *sql.DB
	jobs    *queue.Jobs
	store   *postgres.Store
	metrics *metrics.Metrics
}

func openBackend(ctx context.Context, cfg Config, log *slog.Logger) (*backend, error) {
	db, err := openDB(ctx, cfg, log, true)
	if err != nil {
		return nil, err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	jobs, err := queue.NewJobs(sqlDB)
	if err != nil {
		return nil, err
	}
	return &backend{db: db, sqlDB: sqlDB, jobs: jobs, store: postgres.NewStore(db, jobs), metrics: metrics.New(jobs.Depth, log)}, nil
}

// ready returns the readiness checks of the database and its schema, with
// more added.
func (b *backend) ready(more map[string]func(context.Context) error) map[string]func(context.Context) error {
	checks := map[string]func(context.Context) error{
		"database": b.store.Ping,
		"schema":   func(ctx context.Context) error { return postgres.SchemaCurrent(ctx, b.db) },
	}
	maps.Copy(checks, more)
	return checks
}
