package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
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
	var expires, window durValue
	var attempts intValue
	fs.Var(&expires, "expires", "how long the invite can be opened (default: the admin's invite defaults)")
	fs.Var(&window, "window", "personal time window once started, 0 for none (default: the admin's)")
	fs.Var(&attempts, "attempts", "submissions allowed, self-checks and final together (default: the admin's)")
	cfg.flags(fs, "db", "web")
	if err := cfg.parse(fs, e.getenv, args); err != nil {
		return err
	}
	if *slug == "" || *email == "" {
		return errors.New("--exercise and --email are required")
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
	def, err := store.InviteDefaults(ctx)
	if err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if !given["expires"] {
		expires = durValue(time.Duration(def.Days) * 24 * time.Hour)
	}
	if !given["window"] {
		window = durValue(time.Duration(def.WindowHours) * time.Hour)
	}
	if !given["attempts"] {
		attempts = intValue(def.Attempts)
	}
	if attempts < 1 || expires <= 0 {
		return errors.New("--attempts must be at least 1 and --expires positive")
	}
	inv := &grader.Invite{ExerciseVersionID: v.ID, Email: *email, ExpiresAt: time.Now().Add(time.Duration(expires)), Window: time.Duration(window), Attempts: int(attempts)}
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
		"expires_at": inv.ExpiresAt.UTC(), "window": inv.Window.String(), "attempts": inv.Attempts,
	})
}
