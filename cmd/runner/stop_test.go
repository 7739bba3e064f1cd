package main

import (
	"fmt"
	"log/slog"
	"net/http"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"takehome/internal/postgres"
)

// waitContainers waits until the submission has at least n running containers.
func waitContainers(t *testing.T, id int64, n int) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for len(runningContainers(t, id)) < n {
		if time.Now().After(deadline) {
			t.Fatalf("submission %d never had %d running containers", id, n)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// waitGone asserts the submission's containers and volumes are all gone
// within d. The volumes go after the containers, so both are waited for.
func waitGone(t *testing.T, id int64, d time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for len(leftovers(t, id)) > 0 && time.Since(start) < d {
		time.Sleep(100 * time.Millisecond)
	}
	assertNoLeftovers(t, id)
	return time.Since(start)
}

// TestAdminCancelStopsContainers is SANDBOX.md case 16 for cancellation.
func TestAdminCancelStopsContainers(t *testing.T) {
	getenv, staff, invite := setup(t, nil)
	base := startServe(t, getenv, "--workers", "1")
	id := submit(t, base, invite, "final", submissionArchive(t, "slow"))
	waitContainers(t, id, 2)

	if code := api(t, "POST", fmt.Sprintf("%s/api/v1/submissions/%d/cancel", base, id), staff, nil, "", nil); code != http.StatusAccepted {
		t.Fatalf("cancel: status %d", code)
	}
	took := waitGone(t, id, 10*time.Second)
	waitStatus(t, base, staff, id, "canceled", 10*time.Second)
	t.Logf("containers gone %s after cancel", took.Round(time.Millisecond))
}

// TestSigtermDrainsAndRequeues is SANDBOX.md case 16 for SIGTERM: the worker
// stops claiming, gives the running phase the drain timeout, then removes
// its containers and hands the job back; another worker grades it.
func TestSigtermDrainsAndRequeues(t *testing.T) {
	getenv, staff, invite := setup(t, nil)
	base := startServe(t, getenv, "--workers", "0")
	id := submit(t, base, invite, "final", submissionArchive(t, "slow"))

	w := exec.Command(runnerBinary(t), "worker", "--workers", "1", "--drain-timeout", "1s")
	w.Env = append(w.Environ(), "DATABASE_URL="+getenv("DATABASE_URL"))
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	waitContainers(t, id, 2)
	start := time.Now()
	if err := w.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- w.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("worker exit after SIGTERM: %v", err)
		}
	case <-time.After(30 * time.Second):
		_ = w.Process.Kill()
		t.Fatal("worker still running 30s after SIGTERM")
	}
	took := waitGone(t, id, 5*time.Second)
	t.Logf("worker exited and containers gone %s after SIGTERM (%s waiting for removal)", time.Since(start).Round(time.Millisecond), took.Round(time.Millisecond))
	waitStatus(t, base, staff, id, "queued", 5*time.Second)

	// The drained job is available again at once (snoozed, no attempt
	// spent): a new worker picks it up without waiting for a retry.
	restart := time.Now()
	startWorker(t, getenv, "worker-after-drain.log")
	waitStatus(t, base, staff, id, "running", 10*time.Second)
	t.Logf("a new worker took the drained job %s after it started", time.Since(restart).Round(time.Millisecond))
	waitStatus(t, base, staff, id, "graded", 2*time.Minute)

	// A drain spends none of the job's attempts: deploys cannot use them up.
	db, err := postgres.Open(t.Context(), getenv("DATABASE_URL"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	var attempt int
	if err := db.Raw("SELECT j.attempt FROM river_job j JOIN submissions s ON s.job_id = j.id WHERE s.id = ?", id).Scan(&attempt).Error; err != nil {
		t.Fatal(err)
	}
	if attempt != 1 {
		t.Errorf("job attempt = %d after one drain and one grading, want 1", attempt)
	}
}
