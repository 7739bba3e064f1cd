package archive

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"takehome/exercises"
	"takehome/grader"
)

// What Check keeps of the files it lists.
const (
	// MaxSmallFile is the largest file whose content Check returns.
	MaxSmallFile = 256 << 10
	// MaxSmallTotal bounds the content Check returns, besides takehome.yaml.
	MaxSmallTotal = 2 << 20
)

// Listing is what Check returns: every file's name, and the content of the
// small ones.
type Listing struct {
	// Names are the regular files, as Read would name them, sorted.
	Names []string
	// Small are files of at most MaxSmallFile bytes, sorted by name: always
	// takehome.yaml when it is that small, then others in archive order
	// while they fit in MaxSmallTotal bytes.
	Small []exercises.File
}

// Read checks an uploaded archive and returns its regular files, sorted by
// name. It accepts zip, gzip-compressed tar and plain (ustar) tar, told
// apart by their magic bytes, not by a file name. Every entry is checked
// before any file is returned; errors are *grader.Error with CodeTooLarge
// for the size caps and CodeUnprocessable otherwise. Directories are not
// returned, macOS __MACOSX/ metadata is dropped, and when every file sits in
// one top-level directory that holds takehome.yaml, that directory is
// stripped from the names.
func Read(data []byte, lim Limits) ([]exercises.File, error) {
	r, size := bytes.NewReader(data), int64(len(data))
	// The first pass reads every entry and throws the content away, so that
	// a hostile archive is refused before it costs memory; the second keeps
	// what the first proved to be within the limits.
	if err := scan(r, size, newCollector(lim, "archive", keepNone)); err != nil {
		return nil, err
	}
	c := newCollector(lim, "archive", keepAll)
	if err := scan(r, size, c); err != nil {
		return nil, err
	}
	return c.files, nil
}

// Check applies the rules of Read to the archive of size bytes in r without
// keeping file contents: it returns the names of the files and the content
// of the small ones only (see Listing), so that its memory does not grow
// with the archive. A problem with the archive is a *grader.Error as for
// Read; failing to read r is a plain error.
func Check(r io.ReaderAt, size int64, lim Limits) (Listing, error) {
	c := newCollector(lim, "archive", keepSmall)
	if err := scan(r, size, c); err != nil {
		return Listing{}, err
	}
	return Listing{Names: c.names, Small: c.files}, nil
}

// scan feeds the entries of the archive to c, dropping macOS metadata.
func scan(r io.ReaderAt, size int64, c *collector) error {
	if size < 0 {
		return fmt.Errorf("archive size %d is negative", size)
	}
	if size > c.lim.MaxCompressed {
		return grader.Errorf(grader.CodeTooLarge, "archive is larger than %s", grader.FormatBytes(c.lim.MaxCompressed))
	}
	walk, err := walker(r, size)
	if err != nil {
		return err
	}
	c.skip = isMacMetadata
	if err := walk(c); err != nil {
		return err
	}
	return c.finish()
}

// walker returns the function that feeds the entries of the archive to a
// collector, telling the format by the first bytes.
func walker(r io.ReaderAt, size int64) (func(*collector) error, error) {
	head := make([]byte, 262)
	n, err := io.NewSectionReader(r, 0, size).ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read archive: %w", err)
	}
	head = head[:n]
	switch {
	case isZip(head):
		return func(c *collector) error { return walkZip(c, r, size) }, nil
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return func(c *collector) error { return walkTarGz(c, stream(r, size)) }, nil
	case isTar(head):
		return func(c *collector) error { return walkTar(c, stream(r, size), "tar") }, nil
	}
	return nil, grader.Errorf(grader.CodeUnprocessable, "not a zip or tar.gz archive")
}

// isZip reports a local file header or, for an empty zip, the end record.
func isZip(head []byte) bool {
	return bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06"))
}

// isTar reports the ustar magic of POSIX and GNU tar headers.
func isTar(head []byte) bool {
	return len(head) >= 262 && string(head[257:262]) == "ustar"
}

// isMacMetadata reports the resource-fork copies macOS adds to zips.
func isMacMetadata(name string) bool {
	return name == "__MACOSX" || strings.HasPrefix(name, "__MACOSX/")
}

// corrupt is the error for an archive the decoder gave up on.
func corrupt(format string, err error) error {
	return grader.Errorf(grader.CodeUnprocessable, "%s archive is corrupt or truncated: %v", format, err)
}
