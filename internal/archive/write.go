package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"takehome/exercises"
)

// modTime is the modification time of every written entry, so that the same
// files always give the same bytes.
var modTime = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// Zip packs files into a zip archive, sorted by name, with a fixed
// modification time: the same files give the same bytes. Shell scripts
// (*.sh) are executable, so a starter kit's run.sh runs as unpacked; other
// files are 0644. Names must pass the checks of Read.
func Zip(files []exercises.File) ([]byte, error) {
	sorted, err := checkFiles(files)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range sorted {
		hdr := &zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: modTime}
		hdr.SetMode(fileMode(f.Name))
		w, err := zw.CreateHeader(hdr)
		if err != nil {
			return nil, fmt.Errorf("zip %s: %w", f.Name, err)
		}
		if _, err := w.Write(f.Data); err != nil {
			return nil, fmt.Errorf("zip %s: %w", f.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("zip: %w", err)
	}
	return buf.Bytes(), nil
}

// TarGz packs files into a gzip-compressed tar the same way as Zip.
func TarGz(files []exercises.File) ([]byte, error) {
	sorted, err := checkFiles(files)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, f := range sorted {
		hdr := &tar.Header{Typeflag: tar.TypeReg, Name: f.Name, Size: int64(len(f.Data)), Mode: int64(fileMode(f.Name)), ModTime: modTime}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, fmt.Errorf("tar %s: %w", f.Name, err)
		}
		if _, err := tw.Write(f.Data); err != nil {
			return nil, fmt.Errorf("tar %s: %w", f.Name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("tar: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	return buf.Bytes(), nil
}

// fileMode makes shell scripts executable and everything else read-write.
func fileMode(name string) fs.FileMode {
	if strings.HasSuffix(name, ".sh") {
		return 0o755
	}
	return 0o644
}

// checkFiles checks the names to write and returns the files sorted.
func checkFiles(files []exercises.File) ([]exercises.File, error) {
	c := newCollector(DefaultLimits(), "archive", keepNone)
	c.lim.MaxEntries = max(c.lim.MaxEntries, len(files))
	for _, f := range files {
		if _, err := c.file(f.Name); err != nil {
			return nil, err
		}
	}
	sorted := slices.Clone(files)
	slices.SortFunc(sorted, func(a, b exercises.File) int { return strings.Compare(a.Name, b.Name) })
	return sorted, nil
}
