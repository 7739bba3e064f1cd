package deploy

import (
	"context"
	"strings"
	"testing"
	"time"

	"takehome/grader/docker"
)

// killMidPhase waits until a step container of the worker runs, kills the
// worker container and starts it again.
func killMidPhase(ctx context.Context, t *testing.T, worker, hostname string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !stepRunning(ctx, t, hostname) {
		if time.Now().After(deadline) {
			t.Fatal("no step of worker 1 ran within a minute")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, err := Docker(ctx, "kill", worker); err != nil {
		t.Fatal(err)
	}
	// The engine does not restart a container killed through its API.
	if _, err := Docker(ctx, "start", worker); err != nil {
		t.Fatal(err)
	}
	waitWorkerReady(ctx, t, worker)
}

// stepRunning reports whether a sandbox step of the runner in the container
// with this hostname is running.
func stepRunning(ctx context.Context, t *testing.T, hostname string) bool {
	t.Helper()
	out, err := Docker(ctx, "ps", "--filter", "label="+docker.LabelRole+"=step",
		"--format", `{{.Label "`+docker.LabelOwner+`"}}`)
	if err != nil {
		t.Fatal(err)
	}
	for _, owner := range strings.Fields(out) {
		if ownedBy(owner, []string{hostname}) {
			return true
		}
	}
	return false
}

// cutOffDatabase disconnects a worker from the database network for d.
func cutOffDatabase(ctx context.Context, t *testing.T, p *Project, worker string, d time.Duration) {
	t.Helper()
	net, err := p.Network(ctx, "db")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Docker(ctx, "network", "disconnect", net, worker); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
		t.Fatal(ctx.Err())
	case <-time.After(d):
	}
	if _, err := Docker(ctx, "network", "connect", net, worker); err != nil {
		t.Fatal(err)
	}
}

// restartDatabase restarts the database container and waits for its health.
func restartDatabase(ctx context.Context, t *testing.T, p *Project) {
	t.Helper()
	db, err := p.Container(ctx, "db")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Docker(ctx, "restart", db); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		h, err := Health(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if h == "healthy" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("database %s a minute after its restart", h)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
