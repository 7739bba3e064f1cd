package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"

	"gorm.io/gorm"

	"takehome/exercises"
	"takehome/exercises/rag"
	"takehome/exercises/smoke"
	"takehome/exercises/tabular"
	"takehome/grader"
	"takehome/grader/docker"
	"takehome/internal/archive"
	"takehome/internal/postgres"
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
func newSandbox(cfg Config, owner string, log *slog.Logger) (*docker.Sandbox, error) {
	return docker.New(docker.Config{
		MaxContainers: cfg.MaxContainers,
		Owner:         owner,
		Fleet:         fleet(cfg.DatabaseURL),
		Runtime:       cfg.Runtime,
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

func newPipeline(sb grader.Sandbox, log *slog.Logger) *grader.Pipeline {
	return &grader.Pipeline{Sandbox: sb, Logger: log}
}

// uploadLimits are the limits applied to uploaded archives.
func uploadLimits(cfg Config) archive.Limits {
	lim := archive.DefaultLimits()
	lim.MaxCompressed, lim.MaxUncompressed, lim.MaxEntries = cfg.MaxUpload, cfg.MaxUnpacked, cfg.MaxEntries
	return lim
}
