package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"
	"gorm.io/gorm"

	"takehome/exercises"
	"takehome/exercises/rag"
	"takehome/grader"
	"takehome/internal/archive"
	"takehome/internal/metrics"
	"takehome/internal/postgres"
	"takehome/web"
)

func cmdServe(ctx context.Context, e *env, args []string) error {
	cfg := defaultConfig()
	fs := newFlagSet(e, "serve", "serve [--addr :8080] [--workers N] [--database-url URL]")
	cfg.flags(fs, e.getenv, "db", "web", "workers")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := cfg.Validate("db", "web", "workers"); err != nil {
		return err
	}
	log := newLogger(e)
	tuneGC(e.getenv)
	db, err := openDB(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	var m *metrics.Metrics
	w, err := startWorkers(gctx, g, cfg, db, func(q metrics.DepthFunc) *metrics.Metrics {
		m = metrics.New(q, log)
		return m
	}, log)
	if err != nil {
		_ = ln.Close() // the setup error is the one to report
		return err
	}
	webCfg := web.Config{BaseURL: cfg.BaseURL, MaxUploadBytes: cfg.MaxUpload, MaxConcurrentIngest: cfg.MaxIngest,
		InsecureCookies: strings.HasPrefix(cfg.BaseURL, "http://")} // Secure cookies need https
	audit := w.store.NewAuditBatcher()
	webSrv := web.New(webCfg, webDeps(cfg, db, w, m, audit, log))
	handler := webSrv.Handler()
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Minute, // a 50 MB upload on a slow link
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	srv.RegisterOnShutdown(webSrv.CloseStreams) // open status pages must not hold up the shutdown
	g.Go(func() error {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	g.Go(func() error {
		<-gctx.Done()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(gctx), 30*time.Second)
		defer cancel()
		err := srv.Shutdown(sctx)
		audit.Close() // after the last request that could audit
		return err
	})
	log.Info("serving", "addr", ln.Addr().String(), "workers", cfg.Workers)
	fmt.Fprintf(e.stdout, "listening on http://%s\n", ln.Addr())
	return g.Wait()
}

// webDeps wires the API to the store, the queue and the upload rules.
func webDeps(cfg Config, db *gorm.DB, w *wiring, m *metrics.Metrics, audit web.AuditLog, log *slog.Logger) web.Deps {
	store := w.store
	lim := uploadLimits(cfg)
	ready := map[string]func(context.Context) error{
		"database": store.Ping,
		"schema":   func(ctx context.Context) error { return postgres.SchemaCurrent(ctx, db) },
	}
	if w.sandbox != nil {
		ready["docker"] = w.sandbox.Ping
	}
	return web.Deps{
		Invites: store, Versions: store, Users: store, Submissions: store, Audit: audit, Jobs: w.queue,
		Sessions: store, Staff: store, Exercises: registry(),
		ReadArchive: func(b []byte) ([]exercises.File, error) { return archive.Read(b, lim) },
		ImportBEIR: func(dir, slug string) (*exercises.Version, error) {
			v, err := readBEIR(dir, slug)
			return v, badImport(err)
		},
		ImportBEIRFiles: func(files []exercises.File, slug string) (*exercises.Version, error) {
			data, err := rag.BEIRFiles(files)
			if err != nil {
				return nil, badImport(err)
			}
			v, err := rag.FromBEIR(slug, data)
			return v, badImport(err)
		},
		Lister: web.ListerFunc(func(ctx context.Context, f web.SubmissionFilter) ([]grader.Submission, error) {
			return store.ListSubmissions(ctx, postgres.SubmissionFilter{VersionID: f.ExerciseVersionID, Status: f.Status, Limit: f.Limit, Offset: f.Offset})
		}),
		Validate: func(r io.ReaderAt, size int64, spec exercises.Spec) error {
			l, err := archive.Check(r, size, lim)
			if err != nil {
				return err
			}
			_, err = grader.ParseManifestListing(l.Names, l.Small, spec.PhaseNames())
			return err
		},
		Zip:      archive.Zip,
		Ready:    ready,
		Gatherer: m.Registry,
		Now:      time.Now,
		Logger:   log,
	}
}

// tuneGC collects less often than Go's default unless GOGC or GOMEMLIMIT
// say otherwise. The server's live heap is small (tens of MB) and a busy page
// allocates a few KB per request; at the default, collections under 200
// connections put the list's p99 at 63 ms, at 400 % it is 39 ms (make bench).
// The soft limit keeps the trade bounded: near it the collector works harder.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(256 << 20)
	}
}

// badImport marks a BEIR import's error as the admin's to fix: what is wrong
// with the folder is shown to them, not hidden as an internal error.
func badImport(err error) error {
	if err == nil {
		return nil
	}
	return grader.Errorf(grader.CodeInvalid, "%v", err)
}
