package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// startWorkerInProcess runs `runner worker` with a metrics address until the
// test ends and returns the metrics base URL.
func startWorkerInProcess(t *testing.T, getenv func(string) string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"worker", "--workers", "1", "--metrics-addr", "127.0.0.1:0"}, getenv, pw, io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("worker: %v", err)
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("worker did not start: %v", err)
	}
	go io.Copy(io.Discard, pr)
	return strings.TrimSpace(strings.TrimPrefix(line, "metrics on "))
}

func getBody(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestWorkerServesItsMetrics: a web server without workers and a separate
// worker process; the worker's own /metrics shows the runs it graded, its
// sandbox and the queue, and its /readyz checks the engine.
func TestWorkerServesItsMetrics(t *testing.T) {
	getenv, _, invite := setup(t, nil)
	base := startServe(t, getenv, "--workers", "0")
	if code, body := getBody(t, base+"/readyz"); code != 200 || strings.Contains(body, "docker") {
		t.Errorf("serve --workers 0 /readyz = %d %s: want ready without a docker check", code, body)
	}
	if n := countRows(t, getenv, "SELECT count(*) FROM workers"); n != 0 {
		t.Errorf("serve --workers 0 registered %d workers", n)
	}
	metricsURL := startWorkerInProcess(t, getenv)
	id := submit(t, base, invite, "check", submissionArchive(t, "good"))
	waitStatus(t, base, invite, id, "graded", 2*time.Minute)

	code, body := getBody(t, metricsURL+"/metrics")
	if code != 200 {
		t.Fatalf("worker /metrics = %d", code)
	}
	for _, want := range []string{
		`takehome_runs_total{outcome="graded"} 1`, `takehome_phase_duration_seconds_count{phase="learn",verdict="ok"} 1`,
		`takehome_queue_depth{state="available"}`, "takehome_sandbox_containers 0", "takehome_sandbox_containers_limit 4",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("worker /metrics lacks %q", want)
		}
	}
	if _, web := getBody(t, base+"/metrics"); strings.Contains(web, "takehome_runs_total{") || strings.Contains(web, "takehome_sandbox_containers") {
		t.Error("the web server without workers reports runs or a sandbox")
	}
	if code, _ := getBody(t, metricsURL+"/healthz"); code != 200 {
		t.Errorf("worker /healthz = %d", code)
	}
	code, body = getBody(t, metricsURL+"/readyz")
	var ready struct {
		Status string
		Checks map[string]string
	}
	if err := json.Unmarshal([]byte(body), &ready); err != nil || code != 200 || ready.Status != "ok" ||
		ready.Checks["docker"] != "ok" || ready.Checks["database"] != "ok" || ready.Checks["schema"] != "ok" {
		t.Errorf("worker /readyz = %d %s", code, body)
	}
}

func countRows(t *testing.T, getenv func(string) string, query string) int {
	t.Helper()
	var n int
	if err := openTestDB(t, getenv).Raw(query).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}
