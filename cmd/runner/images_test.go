package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"takehome/exercises"
	"takehome/images"
)

// missingTag is an image tag no engine has and no registry serves.
func missingTag(what string) string {
	return fmt.Sprintf("takehome-test/no-such-%s:%d-%d", what, os.Getpid(), time.Now().UnixNano())
}

// TestChooseBase runs the base choice on the real engine: a base it has is
// used as is; one it lacks and cannot pull (no registry answers, or the
// registry has no such image) falls back to the offline base when present,
// and otherwise the error names the command that builds it.
func TestChooseBase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	present := exercises.PythonImage // the suite builds it before the tests

	base, why, err := chooseBase(ctx, present, images.OfflineBase, 5*time.Second)
	if err != nil || base != present || why != "present" {
		t.Errorf("online base present: %q (%s), %v; want %s", base, why, err, present)
	}

	base, why, err = chooseBase(ctx, missingTag("online-base"), present, 5*time.Second)
	if err != nil || base != present || !strings.Contains(why, "cannot be pulled") {
		t.Errorf("online base unpullable: %q (%s), %v; want the offline base %s", base, why, err, present)
	}

	offline := missingTag("offline-base")
	base, _, err = chooseBase(ctx, missingTag("online-base"), offline, 5*time.Second)
	if err == nil {
		t.Fatalf("no base at all: chose %q", base)
	}
	for _, want := range []string{"cannot be pulled", "build it with `scripts/offline-base.sh " + offline + "`", "runner images build"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

// TestImagesBuildDryRunChoosesABase runs the command with its defaults: on
// a machine with a registry or with the offline base it says which base it
// would build on, and builds nothing.
func TestImagesBuildDryRunChoosesABase(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"images", "build", "--dry-run"}, testEnv(nil), &stdout, &stderr)
	if err != nil {
		t.Fatalf("images build --dry-run: %v", err) // the suite's images need one of the bases
	}
	out := stdout.String()
	if !strings.HasPrefix(out, "base "+images.OnlineBase+": ") && !strings.HasPrefix(out, "base "+images.OfflineBase+": ") {
		t.Errorf("dry run printed %q, want the chosen base", out)
	}
	if strings.Contains(out, "built ") {
		t.Errorf("dry run built something: %q", out)
	}
}

// TestBuildArgs checks that only the offline base skips pip.
func TestBuildArgs(t *testing.T) {
	for base, offline := range map[string]string{images.OfflineBase: "1", images.OnlineBase: ""} {
		args := images.BuildArgs(base)
		got := ""
		if v := args["OFFLINE"]; v != nil {
			got = *v
		}
		if *args["BASE"] != base || got != offline {
			t.Errorf("BuildArgs(%s): BASE=%s OFFLINE=%q, want OFFLINE=%q", base, *args["BASE"], got, offline)
		}
	}
}
