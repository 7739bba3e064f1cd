package docker

import (
	"archive/tar"
	"context"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"

	"takehome/exercises"
)

// copyIn copies files into dir of the holder, which is a volume path: the
// engine accepts copies into volumes even though the root is read-only. The
// tar is streamed, never held whole in memory.
func (ss *session) copyIn(ctx context.Context, dir string, files []exercises.File) error {
	if len(files) == 0 {
		return nil
	}
	if err := checkNames(files); err != nil {
		return err
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeTar(pw, files)) }()
	defer pr.Close()
	err := ss.sb.cli.CopyToContainer(ctx, ss.holder, dir, pr, container.CopyToContainerOptions{})
	if err != nil {
		return fmt.Errorf("copy into %s: %w", dir, err)
	}
	return nil
}

// checkNames accepts only clean relative slash paths: the files come from
// the runner, but a bad name must fail here, not land somewhere odd.
func checkNames(files []exercises.File) error {
	for _, f := range files {
		n := f.Name
		if n == "" || path.IsAbs(n) || path.Clean(n) != n || n == "." || n == ".." ||
			strings.HasPrefix(n, "../") || strings.Contains(n, "\\") {
			return fmt.Errorf("file name %q is not a clean relative path", n)
		}
	}
	return nil
}

// writeTar writes files and their parent directories, owned by the sandbox
// user so steps can change them.
func writeTar(w io.Writer, files []exercises.File) error {
	tw := tar.NewWriter(w)
	dirs := map[string]bool{}
	now := time.Now()
	for _, f := range files {
		if err := writeParents(tw, dirs, path.Dir(f.Name), now); err != nil {
			return err
		}
		h := &tar.Header{Typeflag: tar.TypeReg, Name: f.Name, Mode: 0o644, Size: int64(len(f.Data)),
			Uid: 65534, Gid: 65534, ModTime: now}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if _, err := tw.Write(f.Data); err != nil {
			return err
		}
	}
	return tw.Close()
}

func writeParents(tw *tar.Writer, done map[string]bool, dir string, now time.Time) error {
	if dir == "." || done[dir] {
		return nil
	}
	if err := writeParents(tw, done, path.Dir(dir), now); err != nil {
		return err
	}
	done[dir] = true
	return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: dir + "/", Mode: 0o755,
		Uid: 65534, Gid: 65534, ModTime: now})
}
