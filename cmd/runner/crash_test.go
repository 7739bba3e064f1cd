package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// runnerBinary builds the runner once per test binary, for tests that need
// a real process to kill.
func runnerBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "runner-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "runner")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// startWorker starts `runner worker` as a separate process.
func startWorker(t *testing.T, getenv func(string) string, logName string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(runnerBinary(t), "worker", "--workers", "1")
	cmd.Env = append(os.Environ(),
		"DATABASE_URL="+getenv("DATABASE_URL"),
		"RUNNER_JOB_TIMEOUT=25s", "RUNNER_RESCUE_AFTER=25s", "RUNNER_REAP_EVERY=2s")
	logFile, err := os.Create(filepath.Join(t.TempDir(), logName))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
		logFile.Close()
		if t.Failed() {
			log, _ := os.ReadFile(logFile.Name())
			t.Logf("%s:\n%s", logName, log)
		}
	})
	return cmd
}

// runningContainers lists the running containers of a submission.
func runningContainers(t *testing.T, submissionID int64) []string {
	t.Helper()
	out, err := exec.Command("docker", "ps", "-q", "--filter", fmt.Sprintf("label=takehome.submission=%d", submissionID)).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(string(out))
}

// TestWorkerKilledMidPhase is SANDBOX.md case 15: kill -9 of the worker
// process while a phase runs, restart, and the submission still ends graded
// exactly once with nothing left behind.
func TestWorkerKilledMidPhase(t *testing.T) {
	getenv, staff, invite := setup(t, nil)
	base := startServe(t, getenv, "--workers", "0")
	id := submit(t, base, invite, "final", submissionArchive(t, "slow"))

	first := startWorker(t, getenv, "worker-1.log")
	deadline := time.Now().Add(90 * time.Second)
	// The holder and the learn container both run while learn sleeps.
	for len(runningContainers(t, id)) < 2 {
		if time.Now().After(deadline) {
			t.Fatal("the learn phase never started")
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := first.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	if len(runningContainers(t, id)) == 0 {
		t.Fatal("killing the worker stopped its containers: the test proves nothing")
	}

	startWorker(t, getenv, "worker-2.log")
	waitStatus(t, base, staff, id, "graded", 3*time.Minute)

	var rep struct {
		RunID  int64 `json:"run_id"`
		Result struct{ Score float64 }
	}
	if code := api(t, "GET", fmt.Sprintf("%s/api/v1/submissions/%d/report", base, id), staff, nil, "", &rep); code != 200 || rep.Result.Score != 100 {
		t.Fatalf("report: status %d, %+v", code, rep)
	}
	runs := listRuns(t, getenv, id)
	if len(runs) < 2 || runs[len(runs)-1].ID != rep.RunID {
		t.Errorf("runs = %+v; want the killed run and the one that graded (%d)", runs, rep.RunID)
	}
	for _, r := range runs[:len(runs)-1] {
		if r.Status != "abandoned" {
			t.Errorf("run %d of the killed worker has status %s, want abandoned", r.ID, r.Status)
		}
	}

	// The dead worker's containers are reaped once its heartbeat is stale.
	deadline = time.Now().Add(2 * time.Minute)
	for len(runningContainers(t, id)) > 0 && time.Now().Before(deadline) {
		time.Sleep(time.Second)
	}
	assertNoLeftovers(t, id)
}
