// Package pgtest gives tests a real, migrated PostgreSQL database.
//
// The server comes from TEST_DATABASE_URL, or DATABASE_URL; a test that needs
// a database fails when neither is set. A test package gets one database of
// its own, created on first use and dropped after its tests (use Main from
// TestMain), and each test usually works in a transaction rolled back when
// it ends (Tx). Tests that need committed data or several connections get a
// fresh database with URL.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	"gorm.io/gorm"

	"takehome/internal/postgres"
)

var (
	inMain bool // Main is running the tests

	once     sync.Once
	shared   *gorm.DB
	base     string // server URL the shared database was created on
	name     string // the shared database
	setupErr error
)

// Main runs a package's tests, then drops the database DB created. Call it
// from TestMain:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
func Main(m *testing.M) {
	inMain = true
	code := m.Run()
	if shared != nil {
		if sqlDB, err := shared.DB(); err == nil {
			_ = sqlDB.Close()
		}
		if err := drop(context.Background(), base, name); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
			code = max(code, 1)
		}
	}
	os.Exit(code)
}

// DB returns the test package's database, created and migrated on first use.
// Tests that write to it should prefer Tx.
func DB(t testing.TB) *gorm.DB {
	t.Helper()
	if !inMain {
		t.Fatal("pgtest: call pgtest.Main(m) from TestMain to use pgtest.DB or pgtest.Tx")
	}
	server := ServerURL(t)
	once.Do(func() {
		base = server
		name, setupErr = create(context.Background(), server)
		if setupErr == nil {
			shared, setupErr = open(context.Background(), withDatabase(server, name))
		}
	})
	if setupErr != nil {
		t.Fatalf("pgtest: %v", setupErr)
	}
	return shared
}

// Tx returns a transaction on the package's database, rolled back when the
// test ends. Store methods that open transactions use savepoints inside it.
func Tx(t testing.TB) *gorm.DB {
	t.Helper()
	// Not the test's context: database/sql would roll back on its
	// cancellation, before the cleanup.
	tx := DB(t).WithContext(context.Background()).Begin()
	if tx.Error != nil {
		t.Fatalf("pgtest: begin: %v", tx.Error)
	}
	t.Cleanup(func() { tx.Rollback() })
	return tx
}

// URL returns the URL of a fresh migrated database, dropped when the test
// ends, for tests that need committed data or many connections.
func URL(t testing.TB) string {
	t.Helper()
	server := ServerURL(t)
	ctx := context.Background()
	db, err := create(ctx, server)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		if err := drop(ctx, server, db); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	return withDatabase(server, db)
}

// ServerURL returns the URL tests connect to the server with, from
// TEST_DATABASE_URL or DATABASE_URL. It fails the test when neither is set.
func ServerURL(t testing.TB) string {
	t.Helper()
	for _, k := range []string{"TEST_DATABASE_URL", "DATABASE_URL"} {
		if v := os.Getenv(k); v != "" {
			if _, err := url.Parse(v); err != nil || !strings.HasPrefix(v, "postgres") || !strings.Contains(v, "://") {
				t.Fatalf("pgtest: %s must be a postgres:// URL", k)
			}
			return v
		}
	}
	t.Fatal("pgtest: set TEST_DATABASE_URL or DATABASE_URL (scripts/pg.sh starts a server)")
	return ""
}

// create makes a new database on the server and migrates it.
func create(ctx context.Context, server string) (string, error) {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	db := "takehome_test_" + hex.EncodeToString(b)
	if err := admin(ctx, server, `CREATE DATABASE "`+db+`"`); err != nil {
		return "", err
	}
	g, err := open(ctx, withDatabase(server, db))
	if err == nil {
		err = postgres.Migrate(ctx, g)
		if sqlDB, e := g.DB(); e == nil {
			_ = sqlDB.Close()
		}
	}
	if err != nil {
		_ = drop(ctx, server, db)
		return "", fmt.Errorf("migrate %s: %w", db, err)
	}
	return db, nil
}

func drop(ctx context.Context, server, db string) error {
	return admin(ctx, server, `DROP DATABASE IF EXISTS "`+db+`" WITH (FORCE)`)
}

func admin(ctx context.Context, server, stmt string) error {
	sqlDB, err := sql.Open("pgx", server)
	if err != nil {
		return err
	}
	defer func() { _ = sqlDB.Close() }()
	if _, err := sqlDB.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("%s: %w", stmt, err)
	}
	return nil
}

func open(ctx context.Context, u string) (*gorm.DB, error) {
	return postgres.Open(ctx, u, slog.New(slog.DiscardHandler))
}

func withDatabase(server, db string) string {
	u, err := url.Parse(server)
	if err != nil {
		panic(err) // ServerURL checked the scheme; url.Parse accepts the rest
	}
	u.Path = "/" + db
	return u.String()
}
