package main

import (
	"context"
	"errors"
	"fmt"

	"takehome/grader"
	"takehome/internal/postgres"
)

func cmdUserCreate(ctx context.Context, e *env, args []string) error {
	cfg := defaultConfig()
	fs := newFlagSet(e, "user create", "user create --role admin|interviewer --email EMAIL")
	role := fs.String("role", "", "admin or interviewer (required)")
	email := fs.String("email", "", "login email (required)")
	cfg.flags(fs, "db")
	if err := cfg.parse(fs, e.getenv, args); err != nil {
		return err
	}
	r := grader.Role(*role)
	if r != grader.RoleAdmin && r != grader.RoleInterviewer {
		return fmt.Errorf("--role %q: want admin or interviewer", *role)
	}
	if *email == "" {
		return errors.New("--email is required")
	}
	if err := cfg.Validate("db"); err != nil {
		return err
	}
	db, err := openDB(ctx, cfg, newLogger(e), true)
	if err != nil {
		return err
	}
	store := postgres.NewStore(db, nil)
	password := newPassword()
	hash, err := grader.HashPassword(password)
	if err != nil {
		return err
	}
	u, err := store.CreateUser(ctx, *email, r, hash)
	if err != nil {
		return err
	}
	token, err := store.CreateAPIToken(ctx, u.ID)
	if err != nil {
		return err
	}
	if err := store.AddAudit(ctx, grader.AuditEvent{Actor: "cli", Action: "user.create", Target: fmt.Sprintf("user:%d", u.ID)}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "email:     %s\nrole:      %s\npassword:  %s\napi token: %s\n(shown once; only hashes are stored)\n", u.Email, u.Role, password, token)
	return nil
}
