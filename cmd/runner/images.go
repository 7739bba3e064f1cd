package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"takehome/grader/docker"
	"takehome/images"
)

// pullAnswerTimeout bounds how long a registry may stay silent before the
// build falls back to the offline base.
const pullAnswerTimeout = 20 * time.Second

// cmdImagesBuild builds every sandbox image through the Docker API from the
// build contexts embedded in the binary, on the base --base names or, by
// default, the one chooseBase picks.
func cmdImagesBuild(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "images build", "images build [--base IMAGE] [--dry-run]")
	base := fs.String("base", "", "base image (default: "+images.OnlineBase+" when it is present or a registry answers, "+
		"else "+images.OfflineBase+", built by scripts/offline-base.sh)")
	dryRun := fs.Bool("dry-run", false, "choose the base and say so, build nothing (fails when there is none)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *base == "" {
		chosen, why, err := chooseBase(ctx, images.OnlineBase, images.OfflineBase, pullAnswerTimeout)
		if err != nil {
			return err
		}
		*base = chosen
		fmt.Fprintf(e.stdout, "base %s: %s\n", chosen, why)
	}
	if *dryRun {
		return nil
	}
	for _, img := range images.All {
		if err := buildOne(ctx, e, img, *base); err != nil {
			return err
		}
	}
	return nil
}

// chooseBase picks the base to build on: online when the engine has it or
// pulls it (a registry answers within answer), else offline when the engine
// has it. Otherwise the error names the command that builds offline.
func chooseBase(ctx context.Context, online, offline string, answer time.Duration) (base, why string, err error) {
	if _, ok, err := docker.ImagePresent(ctx, online); err != nil {
		return "", "", err
	} else if ok {
		return online, "present", nil
	}
	pullErr := docker.PullImage(ctx, online, answer)
	if pullErr == nil {
		return online, "pulled", nil
	}
	if _, ok, err := docker.ImagePresent(ctx, offline); err != nil {
		return "", "", err
	} else if ok {
		return offline, fmt.Sprintf("the offline base, as %s is not here and cannot be pulled (%v)", online, pullErr), nil
	}
	return "", "", fmt.Errorf("%s is not here and cannot be pulled (%w), and the offline base %s is missing: "+
		"build it with `scripts/offline-base.sh %s` (debootstrap, about 75 s), then run `runner images build` again",
		online, pullErr, offline, offline)
}

func buildOne(ctx context.Context, e *env, img images.Image, base string) error {
	dir, err := extract(img.Dir)
	if err != nil {
		return err
	}
	id, err := docker.BuildImage(ctx, dir, img.Tag, images.BuildArgs(base))
	_ = os.RemoveAll(dir) // a leftover temp dir harms nothing
	if err != nil {
		return fmt.Errorf("build %s: %w", img.Tag, err)
	}
	fmt.Fprintf(e.stdout, "built %s (%s) from base %s\n", img.Tag, id, base)
	return nil
}

// extract writes an embedded build context to a temporary directory.
func extract(name string) (string, error) {
	dir, err := os.MkdirTemp("", "takehome-image-")
	if err != nil {
		return "", err
	}
	sub, err := fs.Sub(images.Contexts, name)
	if err != nil {
		return "", err
	}
	return dir, fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}
