package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"takehome/grader/docker"
	"takehome/images"
)

// errChecksFailed makes the process exit non-zero after a report that
// already said what failed.
var errChecksFailed = errors.New("checks failed")

// cmdDoctor runs real probe containers for every sandbox image and reports
// each check.
func cmdDoctor(ctx context.Context, e *env, args []string) error {
	cfg := defaultConfig()
	fs := newFlagSet(e, "doctor", "doctor [--json]")
	asJSON := fs.Bool("json", false, "print the checks as JSON")
	cfg.flags(fs, "workers")
	if err := cfg.parse(fs, e.getenv, args); err != nil {
		return err
	}
	var checks []docker.Check
	sb, err := newSandbox(cfg, "doctor-"+instanceID(), nil, newLogger(e))
	if err != nil {
		checks = append(checks, docker.Check{Name: "engine reachable", Detail: err.Error()})
	} else {
		defer func() { _ = sb.Close() }()
		for _, img := range images.All {
			for _, c := range sb.Doctor(ctx, img.Tag) {
				c.Name = img.Tag + ": " + c.Name
				checks = append(checks, c)
			}
		}
	}
	failed := 0
	for _, c := range checks {
		if !c.OK {
			failed++
		}
	}
	if *asJSON {
		if err := json.NewEncoder(e.stdout).Encode(map[string]any{"ok": failed == 0, "checks": checks}); err != nil {
			return err
		}
	} else {
		for _, c := range checks {
			mark := "ok  "
			if !c.OK {
				mark = "FAIL"
			}
			fmt.Fprintf(e.stdout, "%s  %-45s %s\n", mark, c.Name, c.Detail)
		}
		fmt.Fprintf(e.stdout, "%d checks, %d failed\n", len(checks), failed)
	}
	if failed > 0 {
		return errChecksFailed
	}
	return nil
}
