package postgres_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"takehome/grader"
)

func TestInviteRoundTrip(t *testing.T) {
	s, tx := newStore(t)
	inv, token := mustInvite(t, s, nil)
	want := &grader.Invite{
		ID: inv.ID, ExerciseVersionID: inv.ExerciseVersionID, Email: "cand@example.com",
		ExpiresAt: t0.Add(7 * 24 * time.Hour), Window: 4 * time.Hour, Attempts: 3, CreatedAt: inv.CreatedAt,
	}
	if diff := cmp.Diff(want, inv); diff != "" {
		t.Errorf("created (-want +got):\n%s", diff)
	}
	if inv.ID == 0 || inv.CreatedAt.IsZero() {
		t.Errorf("ID %d, CreatedAt %v: not filled", inv.ID, inv.CreatedAt)
	}
	for name, find := range map[string]func() (*grader.Invite, error){
		"by id":    func() (*grader.Invite, error) { return s.FindInvite(t.Context(), inv.ID) },
		"by token": func() (*grader.Invite, error) { return s.FindInviteByToken(t.Context(), token) },
	} {
		got, err := find()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
	if n := count(t, tx, "SELECT count(*) FROM exercise_versions WHERE id = ? AND locked_at IS NOT NULL", inv.ExerciseVersionID); n != 1 {
		t.Error("the invite did not lock its version")
	}

	mustSubmit(t, s, inv.ID, "check", "a")
	got, err := s.FindInviteByToken(t.Context(), token)
	if err != nil {
		t.Fatal(err)
	}
	if got.AttemptsUsed != 1 {
		t.Errorf("AttemptsUsed = %d, want 1", got.AttemptsUsed)
	}

	_, err = s.FindInviteByToken(t.Context(), "inv_unknown")
	wantCode(t, err, grader.CodeUnauthorized, "")
	_, err = s.FindInvite(t.Context(), inv.ID+100)
	wantCode(t, err, grader.CodeNotFound, "")
}

func TestStartAndRevokeInvite(t *testing.T) {
	s, _ := newStore(t)
	inv, _ := mustInvite(t, s, nil)
	for _, at := range []time.Time{t0, t0.Add(time.Hour)} { // the second start changes nothing
		got, err := s.StartInvite(t.Context(), inv.ID, at)
		if err != nil {
			t.Fatal(err)
		}
		if got.StartedAt == nil || !got.StartedAt.Equal(t0) {
			t.Fatalf("StartedAt = %v, want %v", got.StartedAt, t0)
		}
	}
	for _, at := range []time.Time{t0, t0.Add(time.Hour)} {
		if err := s.RevokeInvite(t.Context(), inv.ID, at); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.FindInvite(t.Context(), inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.RevokedAt == nil || !got.RevokedAt.Equal(t0) {
		t.Errorf("RevokedAt = %v, want %v", got.RevokedAt, t0)
	}
	wantCode(t, s.RevokeInvite(t.Context(), inv.ID+100, t0), grader.CodeNotFound, "")
	_, err = s.StartInvite(t.Context(), inv.ID+100, t0)
	wantCode(t, err, grader.CodeNotFound, "")
}

func TestCreateInviteRefused(t *testing.T) {
	tests := []struct {
		name string
		edit func(inv *grader.Invite, tx func(string, ...any))
		code grader.Code
	}{
		{"no attempts", func(inv *grader.Invite, _ func(string, ...any)) { inv.Attempts = 0 }, grader.CodeInvalid},
		{"no expiry", func(inv *grader.Invite, _ func(string, ...any)) { inv.ExpiresAt = time.Time{} }, grader.CodeInvalid},
		{"negative window", func(inv *grader.Invite, _ func(string, ...any)) { inv.Window = -time.Hour }, grader.CodeInvalid},
		{"unknown version", func(inv *grader.Invite, _ func(string, ...any)) { inv.ExerciseVersionID += 100 }, grader.CodeNotFound},
		{"archived version", func(inv *grader.Invite, exec func(string, ...any)) {
			exec("UPDATE exercise_versions SET status = 'archived' WHERE id = ?", inv.ExerciseVersionID)
		}, grader.CodeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, tx := newStore(t)
			v := mustVersion(t, s, "x")
			inv := &grader.Invite{ExerciseVersionID: v.ID, ExpiresAt: t0, Attempts: 1}
			tt.edit(inv, func(q string, args ...any) {
				if err := tx.Exec(q, args...).Error; err != nil {
					t.Fatal(err)
				}
			})
			_, err := s.CreateInvite(t.Context(), inv)
			wantCode(t, err, tt.code, "")
		})
	}
}

// A batch of invites (a CSV) is created whole, with an audit event each, or
// not at all.
func TestCreateInvitesIsAllOrNothing(t *testing.T) {
	s, _ := newStore(t)
	v := mustVersion(t, s, "batch")
	expires := time.Now().Add(24 * time.Hour)
	batch := func(attempts ...int) []*grader.Invite {
		var invs []*grader.Invite
		for i, a := range attempts {
			invs = append(invs, &grader.Invite{ExerciseVersionID: v.ID, Email: fmt.Sprintf("c%d@example.com", i), ExpiresAt: expires, Attempts: a})
		}
		return invs
	}
	audit := func(inv *grader.Invite) grader.AuditEvent {
		return grader.AuditEvent{Actor: "user:1", Action: "invite.create", Target: fmt.Sprintf("invite:%d", inv.ID)}
	}
	if _, err := s.CreateInvites(t.Context(), batch(3, 3, 0, 3), audit); err == nil || !strings.Contains(err.Error(), "invite 3 (c2@example.com)") {
		t.Fatalf("a batch with a bad third invite: %v", err)
	}
	events, err := s.ListAudit(t.Context(), 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 0 {
		t.Fatalf("%d audit events after a failed batch, want 0", len(events))
	}
	good := batch(1, 2)
	tokens, err := s.CreateInvites(t.Context(), good, audit)
	if err != nil || len(tokens) != 2 {
		t.Fatalf("good batch: %v %v", tokens, err)
	}
	for i, tok := range tokens {
		inv, err := s.FindInviteByToken(t.Context(), tok)
		if err != nil || inv.ID != good[i].ID || inv.Attempts != i+1 {
			t.Errorf("token %d finds %+v %v", i, inv, err)
		}
	}
	if events, _ = s.ListAudit(t.Context(), 100); len(events) != 2 || events[0].Action != "invite.create" {
		t.Errorf("audit after a good batch: %+v", events)
	}
}
