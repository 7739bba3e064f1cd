package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"takehome/grader"
	"takehome/internal/postgres"
)

func cmdInviteCreate(ctx context.Context, e *env, args []string) error {
	cfg := defaultConfig()
	fs := newFlagSet(e, "invite create", "invite create --exercise SLUG --email EMAIL [--expires 14d] [--window 72h] [--attempts 5]")
	slug := fs.String("exercise", "", "exercise slug (required); the latest published version is used")
	email := fs.String("email", "", "candidate email (required)")
	expires, window := 14*24*time.Hour, 72*time.Hour
	durFlag(fs, &expires, "expires", "", "how long the invite can be opened")
	durFlag(fs, &window, "window", "", "personal time window once started")
	attempts := fs.Int("attempts", 5, "submissions allowed, self-checks and final together")
	cfg.flags(fs, e.getenv, "db", "web")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *slug == "" || *email == "" {
		return errors.New("--exercise and --email are required")
	}
	if *attempts < 1 {
		return errors.New("--attempts must be at least 1")
	}
	if err := cfg.Validate("db", "web"); err != nil {
		return err
	}
	db, err := openDB(ctx, cfg, newLogger(e), true)
	if err != nil {
		return err
	}
	store := postgres.NewStore(db, nil)
	v, err := store.LatestVersion(ctx, *slug)
	if err != nil {
		return fmt.Errorf("exercise %s: %w", *slug, err)
	}
	inv := &grader.Invite{ExerciseVersionID: v.ID, Email: *email, ExpiresAt: time.Now().Add(expires), Window: window, Attempts: *attempts}
	token, err := store.CreateInvite(ctx, inv)
	if err != nil {
		return err
	}
	if err := store.AddAudit(ctx, grader.AuditEvent{Actor: "cli", Action: "invite.create", Target: fmt.Sprintf("invite:%d", inv.ID)}); err != nil {
		return err
	}
	return json.NewEncoder(e.stdout).Encode(map[string]any{
		"id": inv.ID, "token": token, "url": strings.TrimRight(cfg.BaseURL, "/") + "/invite/" + token,
		"exercise": v.Slug, "version": v.Number, "email": inv.Email,
		"expires_at": inv.ExpiresAt.UTC(), "window": window.String(), "attempts": inv.Attempts,
	})
}
