package postgres_test

import (
	"testing"

	"takehome/grader"
)

func TestInviteDefaults(t *testing.T) {
	s, _ := newStore(t)
	ctx := t.Context()
	if d, err := s.InviteDefaults(ctx); err != nil || d != grader.DefaultInviteDefaults {
		t.Fatalf("unset defaults = %+v, %v", d, err)
	}
	want := grader.InviteDefaults{Days: 14, WindowHours: 0, Attempts: 3}
	if err := s.SetInviteDefaults(ctx, want); err != nil {
		t.Fatal(err)
	}
	if err := s.SetInviteDefaults(ctx, want); err != nil { // an update, not a conflict
		t.Fatal(err)
	}
	if d, err := s.InviteDefaults(ctx); err != nil || d != want {
		t.Fatalf("defaults = %+v, %v", d, err)
	}
	for _, bad := range []grader.InviteDefaults{{Days: 0, Attempts: 1}, {Days: 1, WindowHours: -1, Attempts: 1}, {Days: 1, Attempts: 101}} {
		wantCode(t, s.SetInviteDefaults(ctx, bad), grader.CodeInvalid, "")
	}
}
