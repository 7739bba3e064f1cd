package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"takehome/exercises/rag"
	"takehome/web"
)

func cmdServe(ctx context.Context, e *env, args []string) error {
	cfg := defaultConfig()
	fs := newFlagSet(e, "serve", "serve [--addr :8080] [--workers N] [--database-url URL]")
	cfg.flags(fs, "db", "web", "workers")
	if err := cfg.parse(fs, e.getenv, args); err != nil {
		return err
	}
	if err := cfg.Validate("db", "web", "workers"); err != nil {
		return err
	}
	log := newLogger(e)
	tuneGC(e.getenv)
	b, err := openBackend(ctx, cfg, log)
	if err != nil {
		return err
	}
	store := b.store
	ready := b.ready(nil)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	if cfg.Workers > 0 {
		sb, err := startWorkers(gctx, g, cfg, b, log)
		if err != nil {
			_ = ln.Close() // the setup error is the one to report
			return err
		}
		ready["docker"] = sb.Ping
	}
	audit := store.NewAuditBatcher()
	up := uploads(cfg)
	webSrv := web.New(web.Config{
		BaseURL: cfg.BaseURL, MaxUploadBytes: cfg.MaxUpload, MaxConcurrentIngest: cfg.MaxIngest,
		InsecureCookies: strings.HasPrefix(cfg.BaseURL, "http://"), // Secure cookies need https
	}, web.Deps{
		Invites: store, Versions: store, Users: store, Submissions: store, Lister: store, Audit: audit,
		Jobs: b.jobs, Sessions: store, Staff: store, Calls: store, Exercises: registry(),
		Validate: up.Validate, ReadArchive: up.Unpack,
		ImportBEIR: rag.ImportBEIR, ReadFolder: readBEIRFolder,
		Ready: ready, Gatherer: b.metrics.Registry, Now: time.Now, Logger: log,
	})
	srv := &http.Server{
		Handler:           webSrv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Minute, // a 50 MB upload on a slow link
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	srv.RegisterOnShutdown(webSrv.CloseStreams) // open status pages must not hold up the shutdown
	serveUntilDone(gctx, g, srv, ln, audit.Close)
	log.Info("serving", "addr", ln.Addr().String(), "workers", cfg.Workers)
	fmt.Fprintf(e.stdout, "listening on http://%s\n", ln.Addr())
	return g.Wait()
}

// serveUntilDone serves srv on ln in g until ctx is done, then shuts it
// down gracefully and calls after (once no request can still be running).
func serveUntilDone(ctx context.Context, g *errgroup.Group, srv *http.Server, ln net.Listener, after func()) {
	g.Go(func() error {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	g.Go(func() error {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		err := srv.Shutdown(sctx)
		if after != nil {
			after()
		}
		return err
	})
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
