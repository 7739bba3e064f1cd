package main

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"takehome/exercises"
	"takehome/gateway"
	"takehome/grader"
	"takehome/grader/docker"
	"takehome/internal/gatewaytest"
	"takehome/internal/postgres"
)

// A worker killed with calls in flight through its gateway loses no
// reservation and charges none twice: the call stays reserved, and the
// sweep settles it once, at its full reservation.
func TestGatewayKilledMidCall(t *testing.T) {
	getenv, _, _ := setup(t, nil)
	store := postgres.NewStore(openTestDB(t, getenv), gatewaytest.NoQueue{})
	ctx := context.Background()
	got := make(chan struct{}, 1)
	upstream := newHoldingUpstream(t, got)
	if err := store.SaveLLMProvider(ctx, grader.LLMProvider{Name: "slow", BaseURL: upstream + "/v1", MaxTokensField: "max_tokens",
		UpdatedAt: time.Now(), UpdatedBy: "test"}); err != nil {
		t.Fatal(err)
	}
	runID := gatewaytest.NewRun(t, store)
	access := &exercises.ModelAccess{Provider: "slow", BudgetMicroUSD: 10_000,
		Models: []exercises.Model{{Name: "gpt-4o-mini", Kind: exercises.ModelChat, InputPrice: 150_000, OutputPrice: 600_000}}}
	grants := &gateway.Grants{Store: store}
	if err := grants.Budget(ctx, runID, access); err != nil {
		t.Fatal(err)
	}
	token, err := grants.Grant(ctx, grader.ModelGrant{RunID: runID, Phase: "query", Step: "query", Provider: "slow", Models: access.Models}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	w := exec.Command(runnerBinary(t), "worker", "--workers", "1")
	w.Env = append(os.Environ(), "DATABASE_URL="+getenv("DATABASE_URL"), "RUNNER_GATEWAY_DIR="+dir)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = w.Process.Kill(); _ = w.Wait() }()
	sock := waitForSocket(t, dir)
	t.Cleanup(func() {
		_ = docker.RemoveGatewayVolume(context.Background(), "takehome-llm-"+filepath.Base(filepath.Dir(sock)))
	})

	errs := make(chan error, 1)
	go func() {
		client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", sock)
		}}}
		req, _ := http.NewRequest(http.MethodPost, "http://gateway/v1/chat/completions",
			strings.NewReader(`{"model":"gpt-4o-mini","max_completion_tokens":50,"messages":[{"role":"user","content":"hello"}]}`))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errs <- err
	}()
	select {
	case <-got:
	case <-time.After(30 * time.Second):
		t.Fatal("the call never reached the upstream")
	}
	if err := w.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := <-errs; err == nil {
		t.Error("the call succeeded although its gateway was killed")
	}
	calls, err := store.LLMCalls(ctx, runID, false)
	if err != nil || len(calls) != 1 || calls[0].Status != "in_flight" {
		t.Fatalf("after the kill: %+v %v", calls, err)
	}
	reserved := calls[0].ReservedMicro
	for i, want := range []int{1, 0} { // the second sweep finds nothing: no double charge
		n, err := store.SweepLLMCalls(ctx, time.Now().Add(time.Minute), time.Now())
		if err != nil || n != want {
			t.Fatalf("sweep %d: %d settled, %v; want %d", i+1, n, err, want)
		}
	}
	budgets, err := store.LLMBudgets(ctx, runID)
	if err != nil || budgets[0].SpentMicro != reserved || budgets[0].ReservedMicro != 0 {
		t.Errorf("budget after the sweeps %+v (%v), want %d spent and nothing reserved", budgets, err, reserved)
	}
}

// newHoldingUpstream is an OpenAI-like server that signals each call and
// never answers it.
func newHoldingUpstream(t *testing.T, got chan<- struct{}) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case got <- struct{}{}:
		default:
		}
		<-r.Context().Done()
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String()
}

// waitForSocket waits for a worker's gateway socket under dir.
func waitForSocket(t *testing.T, dir string) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if m, _ := filepath.Glob(filepath.Join(dir, "*", "llm.sock")); len(m) == 1 {
			return m[0]
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the worker's gateway socket never appeared")
	return ""
}
