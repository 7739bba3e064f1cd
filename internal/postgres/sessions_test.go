package postgres_test

import (
	"testing"
	"time"

	"takehome/grader"
	"takehome/internal/postgres"
)

func mustUser(t *testing.T, s *postgres.Store, email string, role grader.Role) *grader.User {
	t.Helper()
	u, err := s.CreateUser(t.Context(), email, role, "hash")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSessionLifecycle(t *testing.T) {
	s, db := newStore(t)
	ctx := t.Context()
	u := mustUser(t, s, "ann@example.com", grader.RoleInterviewer)
	token, err := s.CreateSession(ctx, u.ID, t0, "10.0.0.1", "test-agent")
	if err != nil {
		t.Fatal(err)
	}
	if len(token) < 40 {
		t.Fatalf("token %q is too short for 256 bits", token)
	}
	if n := count(t, db, "SELECT count(*) FROM sessions WHERE token_hash = convert_to(?, 'UTF8')", token); n != 0 {
		t.Fatal("the raw token is stored")
	}
	got, err := s.FindSession(ctx, token, t0.Add(time.Hour))
	if err != nil || got.ID != u.ID {
		t.Fatalf("FindSession = %v, %v", got, err)
	}
	// Used within the idle limit, the session slides; idle longer, it ends.
	if _, err := s.FindSession(ctx, token, t0.Add(time.Hour+postgres.SessionIdle-time.Minute)); err != nil {
		t.Fatalf("slid session: %v", err)
	}
	_, err = s.FindSession(ctx, token, t0.Add(3*time.Hour+2*postgres.SessionIdle))
	wantCode(t, err, grader.CodeUnauthorized, "")
	_, err = s.FindSession(ctx, "nope", t0)
	wantCode(t, err, grader.CodeUnauthorized, "")
}

func TestSessionEndsAtItsMaximumAge(t *testing.T) {
	s, _ := newStore(t)
	ctx := t.Context()
	u := mustUser(t, s, "max@example.com", grader.RoleAdmin)
	token, _ := s.CreateSession(ctx, u.ID, t0, "", "")
	at := t0
	for at.Before(t0.Add(postgres.SessionMax - postgres.SessionIdle)) {
		at = at.Add(postgres.SessionIdle / 2)
		if _, err := s.FindSession(ctx, token, at); err != nil {
			t.Fatalf("at %v: %v", at.Sub(t0), err)
		}
	}
	_, err := s.FindSession(ctx, token, t0.Add(postgres.SessionMax+time.Second))
	wantCode(t, err, grader.CodeUnauthorized, "")
}

func TestDisablingAndPasswordChangeEndSessions(t *testing.T) {
	s, _ := newStore(t)
	ctx := t.Context()
	u := mustUser(t, s, "bob@example.com", grader.RoleInterviewer)
	t1, _ := s.CreateSession(ctx, u.ID, t0, "", "")
	if err := s.SetPassword(ctx, u.ID, "newhash"); err != nil {
		t.Fatal(err)
	}
	_, err := s.FindSession(ctx, t1, t0)
	wantCode(t, err, grader.CodeUnauthorized, "")
	t2, _ := s.CreateSession(ctx, u.ID, t0, "", "")
	if err := s.SetUserDisabled(ctx, u.ID, true); err != nil {
		t.Fatal(err)
	}
	_, err = s.FindSession(ctx, t2, t0)
	wantCode(t, err, grader.CodeUnauthorized, "")
	if _, hash, _ := s.FindUserByEmail(ctx, "BOB@example.com"); hash != "newhash" {
		t.Fatalf("hash = %q", hash)
	}
	if err := s.DeleteSession(ctx, "unknown"); err != nil {
		t.Fatal(err)
	}
}

func TestFailedLogins(t *testing.T) {
	s, _ := newStore(t)
	ctx := t.Context()
	rec := func(email, ip string, ok bool, at time.Time) {
		t.Helper()
		if err := s.RecordLogin(ctx, email, ip, ok, at); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		rec("Eve@Example.com", "1.1.1.1", false, t0.Add(time.Duration(i)*time.Minute))
	}
	rec("other@example.com", "1.1.1.1", false, t0)
	byEmail, byIP, err := s.FailedLogins(ctx, "eve@example.com ", "1.1.1.1", t0.Add(-time.Hour))
	if err != nil || byEmail != 3 || byIP != 4 {
		t.Fatalf("FailedLogins = %d, %d, %v; want 3, 4", byEmail, byIP, err)
	}
	// Only attempts since the window's start count.
	if byEmail, _, _ := s.FailedLogins(ctx, "eve@example.com", "1.1.1.1", t0.Add(90*time.Second)); byEmail != 1 {
		t.Fatalf("since: byEmail = %d, want 1", byEmail)
	}
	// A successful sign-in resets the email's count, not the ip's.
	rec("eve@example.com", "1.1.1.1", true, t0.Add(5*time.Minute))
	byEmail, byIP, _ = s.FailedLogins(ctx, "eve@example.com", "1.1.1.1", t0.Add(-time.Hour))
	if byEmail != 0 || byIP != 4 {
		t.Fatalf("after success = %d, %d; want 0, 4", byEmail, byIP)
	}
}

func TestPasswordResetIsOneTime(t *testing.T) {
	s, _ := newStore(t)
	ctx := t.Context()
	admin := mustUser(t, s, "admin@example.com", grader.RoleAdmin)
	u := mustUser(t, s, "carl@example.com", grader.RoleInterviewer)
	old, _ := s.CreatePasswordReset(ctx, u.ID, admin.ID, t0.Add(time.Hour))
	token, err := s.CreatePasswordReset(ctx, u.ID, admin.ID, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.FindPasswordReset(ctx, old, t0)
	wantCode(t, err, grader.CodeNotFound, "") // a new link replaces the old
	if got, err := s.FindPasswordReset(ctx, token, t0); err != nil || got.ID != u.ID {
		t.Fatalf("FindPasswordReset = %v, %v", got, err)
	}
	_, err = s.FindPasswordReset(ctx, token, t0.Add(2*time.Hour))
	wantCode(t, err, grader.CodeNotFound, "")
	session, _ := s.CreateSession(ctx, u.ID, t0, "", "")
	if _, err := s.UsePasswordReset(ctx, token, "h2", t0); err != nil {
		t.Fatal(err)
	}
	_, err = s.UsePasswordReset(ctx, token, "h3", t0)
	wantCode(t, err, grader.CodeNotFound, "")
	_, err = s.FindSession(ctx, session, t0)
	wantCode(t, err, grader.CodeUnauthorized, "")
	if _, hash, _ := s.FindUserByEmail(ctx, u.Email); hash != "h2" {
		t.Fatalf("hash = %q, want h2", hash)
	}
}

func TestUserAdmin(t *testing.T) {
	s, _ := newStore(t)
	ctx := t.Context()
	u := mustUser(t, s, "zed@example.com", grader.RoleInterviewer)
	mustUser(t, s, "Amy@example.com", grader.RoleAdmin)
	if err := s.SetUserRole(ctx, u.ID, grader.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.SetUserRole(ctx, u.ID, "root"), grader.CodeInvalid, "")
	wantCode(t, s.SetUserRole(ctx, 99999, grader.RoleAdmin), grader.CodeNotFound, "")
	users, err := s.ListUsers(ctx)
	if err != nil || len(users) != 2 || users[0].Email != "Amy@example.com" || users[1].Role != grader.RoleAdmin {
		t.Fatalf("ListUsers = %+v, %v", users, err)
	}
	_, err = s.CreateUser(ctx, "ZED@example.com", grader.RoleAdmin, "x")
	wantCode(t, err, grader.CodeConflict, "")
}
