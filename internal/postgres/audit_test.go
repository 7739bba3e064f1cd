package postgres_test

import (
	"encoding/json"
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
