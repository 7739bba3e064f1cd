package docker

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"takehome/exercises"
	"takehome/grader"
)

// outputError is a violation of the output contract by the candidate's code.
type outputError struct {
	verdict grader.Verdict // invalid_output or output_limit
	reason  string
}

func (e *outputError) Error() string { return e.reason }

func invalid(format string, args ...any) error {
	return &outputError{grader.VerdictInvalidOutput, fmt.Sprintf(format, args...)}
}

func overLimit(format string, args ...any) error {
	return &outputError{grader.VerdictOutputLimit, fmt.Sprintf(format, args...)}
}

// copyOut reads a step's output volume through the holder, after the step's
// container has exited.
func (ss *session) copyOut(ctx context.Context, v *stepVolumes, l exercises.Limits) ([]exercises.File, error) {
	rc, _, err := ss.sb.cli.CopyFromContainer(ctx, ss.holder, v.outDir)
	if err != nil {
		return nil, fmt.Errorf("copy from %s: %w", v.outDir, err)
	}
	defer rc.Close()
	return readOutputs(rc, l)
}

// readOutputs reads the engine's tar of an output directory. Only regular
// files and directories pass; a link or special entry is rejected from its
// header alone, so it is never opened or followed. Counts, bytes and depth
// are checked before content is read, so memory stays within OutputBytes.
func readOutputs(r io.Reader, l exercises.Limits) ([]exercises.File, error) {
	tr := tar.NewReader(r)
	var files []exercises.File
	var entries int
	var total int64
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read output archive: %w", err)
		}
		name, isRoot := relName(h.Name)
		if isRoot {
			continue
		}
		if entries++; entries > l.OutputFiles {
			return nil, overLimit("output has more than %d entries", l.OutputFiles)
		}
		if err := checkEntry(h, name); err != nil {
			return nil, err
		}
		if h.Typeflag == tar.TypeDir {
			continue
		}
		if total += h.Size; total > l.OutputBytes {
			return nil, overLimit("output is larger than %d bytes", l.OutputBytes)
		}
		data := make([]byte, h.Size)
		if _, err := io.ReadFull(tr, data); err != nil {
			return nil, fmt.Errorf("read output %s: %w", name, err)
		}
		files = append(files, exercises.File{Name: name, Data: data})
	}
}

// relName strips the archive's first component, the output directory itself.
func relName(name string) (string, bool) {
	name = strings.TrimSuffix(name, "/")
	_, rest, found := strings.Cut(name, "/")
	return rest, !found || rest == ""
}

// checkEntry rejects everything but regular files and directories, and
// directories nested deeper than maxOutputDepth.
func checkEntry(h *tar.Header, name string) error {
	switch h.Typeflag {
	case tar.TypeReg, tar.TypeDir:
	case tar.TypeSymlink:
		return invalid("output %s is a symbolic link (to %q); only regular files are accepted", name, h.Linkname)
	case tar.TypeLink:
		return invalid("output %s is a hard link to %s; only regular files are accepted", name, h.Linkname)
	case tar.TypeFifo:
		return invalid("output %s is a named pipe; only regular files are accepted", name)
	case tar.TypeChar, tar.TypeBlock:
		return invalid("output %s is a device; only regular files are accepted", name)
	default:
		return invalid("output %s has unsupported type %q; only regular files are accepted", name, h.Typeflag)
	}
	if depth := strings.Count(name, "/") + 1; depth > maxOutputDepth {
		return overLimit("output %s is nested deeper than %d levels", name, maxOutputDepth)
	}
	return nil
}
