package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"takehome/exercises"
	"takehome/grader"
	"takehome/internal/archive"
)

// cmdGrade runs the whole pipeline on one submission without a database:
// the exercise version is built from its seed, the report goes to stdout.
func cmdGrade(ctx context.Context, e *env, args []string) error {
	cfg := defaultConfig()
	fs := newFlagSet(e, "grade", "grade --exercise SLUG [--mode check|final] [--seed N] PATH (archive or directory)")
	slug := fs.String("exercise", "", "exercise slug (required)")
	mode := fs.String("mode", "final", "check (public dev set) or final (hidden eval set)")
	cfg.flags(fs, "seed", "workers")
	if err := cfg.parse(fs, e.getenv, args); err != nil {
		return err
	}
	if *slug == "" || fs.NArg() != 1 {
		fs.Usage()
		return errors.New("grade needs --exercise SLUG and one PATH")
	}
	m, err := exercises.ParseMode(*mode)
	if err != nil {
		return err
	}
	ex, err := registry().Get(*slug)
	if err != nil {
		return err
	}
	files, err := readSubmission(fs.Arg(0), uploads(cfg).Limits)
	if err != nil {
		return err
	}
	v, err := ex.Build(cfg.Seed)
	if err != nil {
		return fmt.Errorf("build %s: %w", *slug, err)
	}
	set, err := v.Set(exercises.SetFor(m))
	if err != nil {
		return err
	}
	if v.Spec.Models != nil {
		return fmt.Errorf("%s gives its phases models through the platform's gateway, which needs the database: "+
			"grade it with `make run` (or a worker) instead; runner grade grades versions without model access", *slug)
	}
	log := newLogger(e)
	sb, err := newSandbox(cfg, instanceID(), nil, log)
	if err != nil {
		return err
	}
	out, err := (&grader.Pipeline{Sandbox: sb, Logger: log}).Run(ctx, grader.Job{
		RunID: time.Now().UnixNano(), Exercise: ex, Spec: v.Spec, Assets: v.Assets, Set: set, Mode: m, Files: files,
	})
	if err != nil {
		return fmt.Errorf("grade: %w", err)
	}
	rep := grader.Report{
		Exercise: *slug, Mode: m, ImageID: out.ImageID, Phases: out.Phases, Result: out.Result,
		ExpectedScore: out.Manifest.ExpectedScore, Notes: grader.NotesText(files, out.Manifest), GradedAt: time.Now().UTC(),
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// readSubmission reads a directory or an archive under the upload rules.
func readSubmission(path string, lim archive.Limits) ([]exercises.File, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return archive.ReadDir(path, lim)
	}
	if info.Size() > lim.MaxCompressed {
		return nil, fmt.Errorf("%s is %d bytes, more than the %d allowed", path, info.Size(), lim.MaxCompressed)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return archive.Read(data, lim)
}
