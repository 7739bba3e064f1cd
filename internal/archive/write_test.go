package archive_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"testing"

	"takehome/exercises"
	"takehome/internal/archive"
)

// TestWritersMakeScriptsExecutable: starter kits are written by Zip, whose
// run.sh must run as unpacked; TarGz writes the same modes.
func TestWritersMakeScriptsExecutable(t *testing.T) {
	files := []exercises.File{{Name: "run.sh", Data: []byte("#!/bin/sh\n")}, {Name: "README.md", Data: []byte("# Kit\n")}}
	want := map[string]int64{"run.sh": 0o755, "README.md": 0o644}

	z, err := archive.Zip(files)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if got := int64(f.Mode().Perm()); got != want[f.Name] {
			t.Errorf("zip %s mode %o, want %o", f.Name, got, want[f.Name])
		}
	}

	tg, err := archive.TarGz(files)
	if err != nil {
		t.Fatal(err)
	}
	gz, err := gzip.NewReader(bytes.NewReader(tg))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Mode != want[h.Name] {
			t.Errorf("tar %s mode %o, want %o", h.Name, h.Mode, want[h.Name])
		}
	}
}
