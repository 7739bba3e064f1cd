package postgres_test

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"takehome/grader"
)

func TestAudit(t *testing.T) {
	s, _ := newStore(t)
	events := []grader.AuditEvent{
		{Actor: "user:1", Action: "invite.create", Target: "invite:7", Detail: json.RawMessage(`{"email":"c@example.com","attempts":3}`), At: t0},
		{Actor: "system", Action: "reaper.run", At: t0.Add(time.Second)},
		{Actor: "cli", Action: "user.create", Target: "user:2", Detail: json.RawMessage(`null`), At: t0.Add(2 * time.Second)},
	}
	for _, e := range events {
		if err := s.AddAudit(t.Context(), e); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.ListAudit(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	events[2].Detail = nil // JSON null is stored as NULL
	want := []grader.AuditEvent{events[2], events[1], events[0]}
	if diff := cmp.Diff(want, got, jsonEqual, cmpopts.IgnoreFields(grader.AuditEvent{}, "ID")); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got, err := s.ListAudit(t.Context(), 1); err != nil || len(got) != 1 {
		t.Errorf("limit 1: %d events, %v", len(got), err)
	}

	wantCode(t, s.AddAudit(t.Context(), grader.AuditEvent{Actor: "x", Action: "y", Detail: json.RawMessage(`{`)}), grader.CodeInvalid, "")
	wantCode(t, s.AddAudit(t.Context(), grader.AuditEvent{Action: "y"}), grader.CodeInvalid, "")
}

// Concurrent events share statements, and each caller returns once its own
// event is stored.
func TestAuditBatcher(t *testing.T) {
	s, _ := newStore(t)
	b := s.NewAuditBatcher()
	const n = 200
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- b.AddAudit(t.Context(), grader.AuditEvent{Actor: "user:1", Action: "report.view", Target: fmt.Sprintf("submission:%d", i), At: t0})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.ListAudit(t.Context(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	targets := map[string]bool{}
	for _, e := range got {
		targets[e.Target] = true
	}
	if len(targets) != n {
		t.Fatalf("%d distinct events stored, want %d", len(targets), n)
	}
	t.Logf("%d events in %d statements", n, b.Groups())
	if b.Groups() >= n {
		t.Errorf("%d statements for %d concurrent events: nothing was grouped", b.Groups(), n)
	}
	wantCode(t, b.AddAudit(t.Context(), grader.AuditEvent{Action: "y"}), grader.CodeInvalid, "")
	b.Close()
	if err := b.AddAudit(t.Context(), grader.AuditEvent{Actor: "x", Action: "y"}); err == nil {
		t.Error("an event was accepted after Close")
	}
}
