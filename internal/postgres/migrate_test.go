package postgres_test

import (
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"
	"gorm.io/gorm"

	"takehome/grader"
	"takehome/internal/pgtest"
	"takehome/internal/postgres"
)

func openURL(t *testing.T, url string) *gorm.DB {
	t.Helper()
	db, err := postgres.Open(t.Context(), url, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			_ = sqlDB.Close()
		}
	})
	return db
}

func TestMigrateCreatesEveryTable(t *testing.T) {
	db := pgtest.DB(t)
	want := []string{"api_tokens", "audit_events", "eval_items", "eval_sets", "exercise_files", "exercise_versions",
		"invites", "phases", "reports", "river_job", "runs", "submission_archive_chunks", "submissions", "users", "workers"}
	for _, table := range want {
		if n := count(t, db, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ?", table); n != 1 {
			t.Errorf("table %s missing", table)
		}
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	db := pgtest.DB(t)
	for range 2 {
		if err := postgres.Migrate(t.Context(), db); err != nil {
			t.Fatal(err)
		}
	}
	if err := postgres.SchemaCurrent(t.Context(), db); err != nil {
		t.Fatal(err)
	}
}

func TestSchemaCurrentOnStaleSchema(t *testing.T) {
	db := openURL(t, pgtest.URL(t))
	riverDown := func(t *testing.T) {
		sqlDB, err := db.DB()
		if err != nil {
			t.Fatal(err)
		}
		m, err := rivermigrate.New[*sql.Tx](riverdatabasesql.New(sqlDB), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Migrate(t.Context(), rivermigrate.DirectionDown, &rivermigrate.MigrateOpts{MaxSteps: 1}); err != nil {
			t.Fatal(err)
		}
	}
	oursDownTo := func(version int64) func(t *testing.T) {
		return func(t *testing.T) {
			if err := postgres.MigrateDownTo(t.Context(), db, version); err != nil {
				t.Fatal(err)
			}
		}
	}
	latest, err := postgres.LatestMigration()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		stale func(t *testing.T)
		want  string
	}{
		{"ours one behind", oursDownTo(latest - 1), fmt.Sprintf("schema is at version %d, want %d: run `runner migrate`", latest-1, latest)},
		{"ours empty", oursDownTo(0), fmt.Sprintf("schema is at version 0, want %d: run `runner migrate`", latest)},
		{"river one behind", riverDown, "job queue schema is not current"},
	}
	// The cases run in turn on one database, migrated back up after each.
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.stale(t)
			err := postgres.SchemaCurrent(t.Context(), db)
			wantCode(t, err, grader.CodeUnavailable, "")
			if msg := grader.ErrorMessage(err); !strings.HasPrefix(msg, tt.want) || !strings.HasSuffix(msg, "run `runner migrate`") {
				t.Fatalf("message = %q, want %q...run `runner migrate`", msg, tt.want)
			}
			if err := postgres.Migrate(t.Context(), db); err != nil {
				t.Fatal(err)
			}
			if err := postgres.SchemaCurrent(t.Context(), db); err != nil {
				t.Fatalf("after migrate: %v", err)
			}
		})
	}
}

func TestOpenAndPing(t *testing.T) {
	db := openURL(t, pgtest.URL(t))
	if err := postgres.NewStore(db, nil).Ping(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.Open(t.Context(), "postgres://nobody@127.0.0.1:1/none?connect_timeout=1", nil); err == nil {
		t.Fatal("Open of an unreachable server: no error")
	}
}
