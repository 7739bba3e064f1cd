package postgres_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"takehome/grader"
)

func TestCreateUser(t *testing.T) {
	tests := []struct {
		name     string
		existing string // email created first
		email    string
		role     grader.Role
		code     grader.Code // "" for success
	}{
		{name: "admin", email: "Ada@Example.com", role: grader.RoleAdmin},
		{name: "interviewer", email: "ivan@example.com", role: grader.RoleInterviewer},
		{name: "email taken in another case", existing: "ada@example.com", email: "ADA@example.COM", role: grader.RoleAdmin, code: grader.CodeConflict},
		{name: "unknown role", email: "x@example.com", role: "root", code: grader.CodeInvalid},
		{name: "no email", email: "  ", role: grader.RoleAdmin, code: grader.CodeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newStore(t)
			if tt.existing != "" {
				if _, err := s.CreateUser(t.Context(), tt.existing, grader.RoleInterviewer, "h0"); err != nil {
					t.Fatal(err)
				}
			}
			u, err := s.CreateUser(t.Context(), tt.email, tt.role, "hash-1")
			if tt.code != "" {
				wantCode(t, err, tt.code, "")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := &grader.User{Email: tt.email, Role: tt.role}
			if diff := cmp.Diff(want, u, cmpopts.IgnoreFields(grader.User{}, "ID", "CreatedAt")); diff != "" {
				t.Errorf("created user (-want +got):\n%s", diff)
			}
			got, hash, err := s.FindUserByEmail(t.Context(), strings.ToUpper(tt.email))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(u, got); diff != "" {
				t.Errorf("found user (-want +got):\n%s", diff)
			}
			if hash != "hash-1" {
				t.Errorf("password hash = %q, want hash-1", hash)
			}
		})
	}
}

func TestFindUserByEmailUnknown(t *testing.T) {
	s, _ := newStore(t)
	_, _, err := s.FindUserByEmail(t.Context(), "nobody@example.com")
	wantCode(t, err, grader.CodeNotFound, "")
}

func TestAPIToken(t *testing.T) {
	s, tx := newStore(t)
	u, err := s.CreateUser(t.Context(), "ops@example.com", grader.RoleAdmin, "h")
	if err != nil {
		t.Fatal(err)
	}
	token, err := s.CreateAPIToken(t.Context(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(token, "tk_") || len(token) != 3+43 {
		t.Errorf("token = %q, want tk_ and 43 base64url characters", token)
	}
	got, err := s.FindUserByAPIToken(t.Context(), token)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(u, got); diff != "" {
		t.Errorf("user (-want +got):\n%s", diff)
	}
	if n := count(t, tx, "SELECT count(*) FROM api_tokens WHERE user_id = ? AND last_used_at IS NOT NULL", u.ID); n != 1 {
		t.Errorf("last_used_at not recorded")
	}

	_, err = s.FindUserByAPIToken(t.Context(), token+"x")
	wantCode(t, err, grader.CodeUnauthorized, "")
	if err := tx.Exec("UPDATE users SET disabled = true WHERE id = ?", u.ID).Error; err != nil {
		t.Fatal(err)
	}
	_, err = s.FindUserByAPIToken(t.Context(), token)
	wantCode(t, err, grader.CodeUnauthorized, "")

	_, err = s.CreateAPIToken(t.Context(), u.ID+1000)
	wantCode(t, err, grader.CodeNotFound, "")
}

// TestTokensAreNotStored looks for raw tokens in every column of every table.
func TestTokensAreNotStored(t *testing.T) {
	s, tx := newStore(t)
	u, err := s.CreateUser(t.Context(), "ops@example.com", grader.RoleAdmin, "h")
	if err != nil {
		t.Fatal(err)
	}
	apiToken, err := s.CreateAPIToken(t.Context(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	inv, invToken := mustInvite(t, s, nil)
	mustSubmit(t, s, inv.ID, "check", "zip")
	if !strings.HasPrefix(invToken, "inv_") || len(invToken) != 4+43 {
		t.Errorf("invite token = %q, want inv_ and 43 base64url characters", invToken)
	}
	var tables []string
	if err := tx.Raw("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'").Scan(&tables).Error; err != nil {
		t.Fatal(err)
	}
	if len(tables) < 15 {
		t.Fatalf("only %d tables: %v", len(tables), tables)
	}
	for _, token := range []string{apiToken, invToken, apiToken[3:], invToken[4:]} {
		for _, table := range tables {
			// Each row as text, every column included.
			if n := count(t, tx, `SELECT count(*) FROM "`+table+`" r WHERE strpos(r::text, ?) > 0`, token); n != 0 {
				t.Errorf("table %s holds a raw token", table)
			}
		}
	}
	// The store still finds both by their hash.
	if _, err := s.FindUserByAPIToken(t.Context(), apiToken); err != nil {
		t.Error(err)
	}
	if _, err := s.FindInviteByToken(t.Context(), invToken); err != nil {
		t.Error(err)
	}
}
