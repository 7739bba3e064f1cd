package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"takehome/grader/docker"
	"takehome/images"
)

// cmdImagesBuild builds every sandbox image through the Docker API from the
// build contexts embedded in the binary.
func cmdImagesBuild(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "images build", "images build [--base IMAGE]")
	base := fs.String("base", "python:3.12-slim",
		"base image: python:3.12-slim with a registry, or "+images.OfflineBase+" built by scripts/offline-base.sh")
	if err := fs.Parse(args); err != nil {
		return err
	}
	buildArgs := map[string]*string{"BASE": base}
	if *base == images.OfflineBase {
		one := "1"
		buildArgs["OFFLINE"] = &one
	}
	for _, img := range images.All {
		dir, err := extract(img.Dir)
		if err != nil {
			return err
		}
		id, err := docker.BuildImage(ctx, dir, img.Tag, buildArgs)
		_ = os.RemoveAll(dir) // a leftover temp dir harms nothing
		if err != nil {
			return fmt.Errorf("build %s: %w", img.Tag, err)
		}
		fmt.Fprintf(e.stdout, "built %s (%s) from base %s\n", img.Tag, id, *base)
	}
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
