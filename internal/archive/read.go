package archive

import (
	"bytes"
	"strings"

	"takehome/exercises"
	"takehome/grader"
)

// Read checks an uploaded archive and returns its regular files, sorted by
// name. It accepts zip, gzip-compressed tar and plain (ustar) tar, told
// apart by their magic bytes, not by a file name. Every entry is checked
// before any file is returned; errors are *grader.Error with CodeTooLarge
// for the size caps and CodeUnprocessable otherwise. Directories are not
// returned, macOS __MACOSX/ metadata is dropped, and when every file sits in
// one top-level directory that holds takehome.yaml, that directory is
// stripped from the names.
func Read(data []byte, lim Limits) ([]exercises.File, error) {
	if int64(len(data)) > lim.MaxCompressed {
		return nil, grader.Errorf(grader.CodeTooLarge, "archive is larger than %s", formatSize(lim.MaxCompressed))
	}
	walk := walker(data)
	if walk == nil {
		return nil, grader.Errorf(grader.CodeUnprocessable, "not a zip or tar.gz archive")
	}
	// The first pass reads every entry and throws the content away, so that
	// a hostile archive is refused before it costs memory; the second keeps
	// what the first proved to be within the limits.
	check := newCollector(lim, "archive")
	check.discard = true
	if _, err := collect(walk, check); err != nil {
		return nil, err
	}
	return collect(walk, newCollector(lim, "archive"))
}

// walker returns the function that feeds the entries of data to a
// collector, nil when data is no archive we read.
func walker(data []byte) func(*collector) error {
	switch {
	case isZip(data):
		return func(c *collector) error { return walkZip(c, data) }
	case bytes.HasPrefix(data, []byte{0x1f, 0x8b}):
		return func(c *collector) error { return walkTarGz(c, data) }
	case isTar(data):
		return func(c *collector) error { return walkTar(c, bytes.NewReader(data), "tar") }
	}
	return nil
}

// collect runs walk, dropping macOS metadata, and returns the files.
func collect(walk func(*collector) error, c *collector) ([]exercises.File, error) {
	c.skip = isMacMetadata
	if err := walk(c); err != nil {
		return nil, err
	}
	return c.result()
}

// isZip reports a local file header or, for an empty zip, the end record.
func isZip(data []byte) bool {
	return bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("PK\x05\x06"))
}

// isTar reports the ustar magic of POSIX and GNU tar headers.
func isTar(data []byte) bool {
	return len(data) >= 262 && string(data[257:262]) == "ustar"
}

// isMacMetadata reports the resource-fork copies macOS adds to zips.
func isMacMetadata(name string) bool {
	return name == "__MACOSX" || strings.HasPrefix(name, "__MACOSX/")
}

// corrupt is the error for an archive the decoder gave up on.
func corrupt(format string, err error) error {
	return grader.Errorf(grader.CodeUnprocessable, "%s archive is corrupt or truncated: %v", format, err)
}
