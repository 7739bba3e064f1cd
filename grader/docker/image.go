package docker

import (
	"archive/tar"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"
)

// BuildImage builds the Dockerfile in contextDir through the engine API and
// tags the result; it returns the image id. A failing RUN step comes back as
// an error carrying the build's last lines.
func BuildImage(ctx context.Context, contextDir, tag string, buildArgs map[string]*string) (string, error) {
	cli, err := newClient()
	if err != nil {
		return "", err
	}
	defer cli.Close()
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(tarDir(pw, contextDir)) }()
	defer pr.Close()
	resp, err := cli.ImageBuild(ctx, pr, build.ImageBuildOptions{
		Tags: []string{tag}, BuildArgs: buildArgs, Dockerfile: "Dockerfile",
		Remove: true, ForceRemove: true,
	})
	if err != nil {
		return "", fmt.Errorf("build %s: %w", tag, err)
	}
	defer resp.Body.Close()
	if err := readMessages(resp.Body); err != nil {
		return "", fmt.Errorf("build %s: %w", tag, err)
	}
	img, err := cli.ImageInspect(ctx, tag)
	if err != nil {
		return "", fmt.Errorf("inspect built image %s: %w", tag, err)
	}
	return img.ID, nil
}

// progressMessage is the part of the engine's JSON progress messages we
// read (jsonmessage.JSONMessage would pull in terminal packages).
type progressMessage struct {
	Stream string `json:"stream"`
	Error  string `json:"error"`
}

// readMessages consumes a build or pull progress stream and returns the
// first error it reports, with the last lines of output for context.
func readMessages(r io.Reader) error {
	dec := json.NewDecoder(r)
	var last []string
	for {
		var m progressMessage
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return fmt.Errorf("read progress: %w", err)
		}
		if m.Error != "" {
			return fmt.Errorf("%s\n%s", m.Error, strings.Join(last, ""))
		}
		if m.Stream != "" {
			last = append(last, m.Stream)
			last = last[max(0, len(last)-20):]
		}
	}
}

// tarDir writes the regular files and directories under dir as a build
// context; links and special files are refused.
func tarDir(w io.Writer, dir string) error {
	tw := tar.NewWriter(w)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() && !info.IsDir() {
			return fmt.Errorf("build context: %s is not a regular file or directory", p)
		}
		return addFile(tw, dir, p, info)
	})
	if err != nil {
		return err
	}
	return tw.Close()
}

func addFile(tw *tar.Writer, dir, p string, info fs.FileInfo) error {
	h, err := tar.FileInfoHeader(info, "")
	if err != nil {
		return err
	}
	rel, err := filepath.Rel(dir, p)
	if err != nil {
		return err
	}
	h.Name = filepath.ToSlash(rel)
	if err := tw.WriteHeader(h); err != nil || info.IsDir() {
		return err
	}
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(tw, f)
	return err
}

// ImagePresent reports whether the engine has the image, and its id.
func ImagePresent(ctx context.Context, ref string) (id string, ok bool, err error) {
	cli, err := newClient()
	if err != nil {
		return "", false, err
	}
	defer cli.Close()
	img, err := cli.ImageInspect(ctx, ref)
	if errdefs.IsNotFound(err) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("inspect image %s: %w", ref, err)
	}
	return img.ID, true, nil
}

// PullImage pulls ref from its registry. A registry that sends nothing
// within answer counts as absent and the pull is abandoned; once it
// answers, the pull runs until ctx ends. Callers use it to decide between
// the online and the offline image build.
func PullImage(ctx context.Context, ref string, answer time.Duration) error {
	cli, err := newClient()
	if err != nil {
		return err
	}
	defer cli.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var gaveUp atomic.Bool
	silent := time.AfterFunc(answer, func() { gaveUp.Store(true); cancel() })
	defer silent.Stop()
	err = pull(ctx, cli, ref, silent)
	if err != nil && gaveUp.Load() {
		return fmt.Errorf("pull %s: no answer from its registry within %s", ref, answer)
	}
	return err
}

func pull(ctx context.Context, cli *client.Client, ref string, silent *time.Timer) error {
	rc, err := cli.ImagePull(ctx, ref, image.PullOptions{})
	if err != nil {
		return fmt.Errorf("pull %s: %w", ref, err)
	}
	defer rc.Close()
	if err := readMessages(answered{rc, silent}); err != nil {
		return fmt.Errorf("pull %s: %w", ref, err)
	}
	return nil
}

// answered stops the silence timer at the first bytes of a progress stream.
type answered struct {
	r      io.Reader
	silent *time.Timer
}

func (a answered) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if n > 0 {
		a.silent.Stop()
	}
	return n, err
}
