package main

import (
	"context"
	"fmt"
	"log/slog"

	"takehome/internal/postgres"
)

func cmdMigrate(ctx context.Context, e *env, args []string) error {
	return migrateAndSeed(ctx, e, "migrate", args, true)
}

func cmdSeed(ctx context.Context, e *env, args []string) error {
	return migrateAndSeed(ctx, e, "seed", args, false)
}

// migrateAndSeed applies the migrations when asked (otherwise the schema
// must already be current), then seeds the built-in exercises.
func migrateAndSeed(ctx context.Context, e *env, name string, args []string, migrate bool) error {
	cfg := defaultConfig()
	fs := newFlagSet(e, name, name+" [--database-url URL] [--seed N]")
	cfg.flags(fs, "db", "seed")
	if err := cfg.parse(fs, e.getenv, args); err != nil {
		return err
	}
	if err := cfg.Validate("db"); err != nil {
		return err
	}
	log := newLogger(e)
	db, err := openDB(ctx, cfg, log, !migrate)
	if err != nil {
		return err
	}
	if migrate {
		if err := postgres.Migrate(ctx, db); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, "schema is up to date")
	}
	return seed(ctx, e, postgres.NewStore(db, nil), cfg.Seed, log)
}

// seed stores a version of every built-in exercise for the seed, unless one
// with the same seed and spec exists.
func seed(ctx context.Context, e *env, store *postgres.Store, seed uint64, log *slog.Logger) error {
	reg := registry()
	for _, slug := range reg.Slugs() {
		ex, _ := reg.Get(slug)
		v, err := ex.Build(seed)
		if err != nil {
			return fmt.Errorf("build %s: %w", slug, err)
		}
		ver, created, err := store.EnsureVersion(ctx, v)
		if err != nil {
			return fmt.Errorf("seed %s: %w", slug, err)
		}
		state := "present"
		if created {
			state = "created"
		}
		log.Info("seeded exercise", "slug", slug, "version", ver.Number, "state", state)
		fmt.Fprintf(e.stdout, "exercise %s version %d (seed %d): %s\n", slug, ver.Number, seed, state)
	}
	return nil
}
